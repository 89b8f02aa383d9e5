package io.tidemark.common.runtime.config;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.YamlParserUtils;

/**
 * Reads a job's configuration from an optional YAML file (nested or flat keys) and {@code --set}
 * overrides, resolves {@code ${env:NAME}} references, and validates every key and value against the
 * job's typed options before anything starts. Errors name the key and the accepted values.
 */
public final class ConfigLoader {

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private ConfigLoader() {}

    /** Loads from parsed job arguments, reading secrets from the process environment. */
    public static Configuration load(JobArgs args, Collection<ConfigOption<?>> jobOptions) {
        return load(args, jobOptions, System.getenv());
    }

    public static Configuration load(
            JobArgs args, Collection<ConfigOption<?>> jobOptions, Map<String, String> env) {
        Map<String, String> raw = new LinkedHashMap<>();
        if (args.configFile() != null) {
            raw.putAll(readYaml(args.configFile().toFile()));
        }
        raw.putAll(args.overrides());
        return validate(raw, jobOptions, env);
    }

    /** Validates flat key/values and returns them as a Flink configuration. */
    public static Configuration validate(
            Map<String, String> raw,
            Collection<ConfigOption<?>> jobOptions,
            Map<String, String> env) {
        Map<String, ConfigOption<?>> known = new TreeMap<>();
        for (ConfigOption<?> option : TidemarkOptions.all()) {
            known.put(option.key(), option);
        }
        for (ConfigOption<?> option : jobOptions) {
            known.put(option.key(), option);
        }
        Configuration conf = new Configuration();
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            String key = entry.getKey();
            String value = resolveEnv(key, entry.getValue(), env);
            boolean passThrough =
                    (key.startsWith(TidemarkOptions.KAFKA_PREFIX)
                                    && key.length() > TidemarkOptions.KAFKA_PREFIX.length())
                            || (key.startsWith(TidemarkOptions.FLINK_PREFIX)
                                    && key.length() > TidemarkOptions.FLINK_PREFIX.length());
            if (!passThrough && !known.containsKey(key)) {
                throw new InvalidConfigException(
                        "Unknown configuration key '"
                                + key
                                + "'. Known keys: "
                                + String.join(", ", known.keySet())
                                + "; plus kafka.* (Kafka client properties) and flink.* (Flink"
                                + " configuration).");
            }
            conf.setString(key, value);
        }
        for (ConfigOption<?> option : known.values()) {
            if (conf.containsKey(option.key())) {
                try {
                    conf.get(option);
                } catch (RuntimeException e) {
                    throw new InvalidConfigException(
                            "Invalid value '"
                                    + conf.getString(option.key(), "")
                                    + "' for configuration key '"
                                    + option.key()
                                    + "': expected "
                                    + accepted(option),
                            e);
                }
            }
        }
        return conf;
    }

    /** Human description of what an option accepts, used in error messages. */
    static String accepted(ConfigOption<?> option) {
        Class<?> type = optionClass(option);
        if (type != null && type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(Object::toString)
                            .collect(Collectors.joining(", "));
        }
        if (type == Duration.class) {
            return "a duration such as 500 ms, 2 s, 30 min or 1 h";
        }
        if (type == Integer.class || type == Long.class) {
            return "an integer";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        return option.description().toString();
    }

    private static Class<?> optionClass(ConfigOption<?> option) {
        try {
            // ConfigOption#getClazz is package-private; the type is only used for the message.
            Method getter = ConfigOption.class.getDeclaredMethod("getClazz");
            getter.setAccessible(true);
            return (Class<?>) getter.invoke(option);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static String resolveEnv(String key, String value, Map<String, String> env) {
        Matcher m = ENV_REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String resolved = env.get(name);
            if (resolved == null) {
                throw new InvalidConfigException(
                        "Configuration key '"
                                + key
                                + "' refers to environment variable "
                                + name
                                + ", which is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Map<String, String> readYaml(File file) {
        if (!Files.isRegularFile(file.toPath())) {
            throw new InvalidConfigException("Configuration file " + file + " does not exist");
        }
        Map<String, Object> tree;
        try {
            tree = YamlParserUtils.loadYamlFile(file);
        } catch (Exception e) {
            throw new InvalidConfigException(
                    "Configuration file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", tree == null ? Map.of() : tree, flat);
        return flat;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> tree, Map<String, String> out) {
        for (Map.Entry<String, Object> e : tree.entrySet()) {
            String key = prefix + e.getKey();
            Object value = e.getValue();
            if (value instanceof Map<?, ?> nested) {
                flatten(key + ".", (Map<String, Object>) nested, out);
            } else if (value instanceof List<?> list) {
                out.put(key, list.stream().map(String::valueOf).collect(Collectors.joining(";")));
            } else {
                out.put(key, value == null ? "" : String.valueOf(value));
            }
        }
    }

    /** Keys of a configuration, sorted, with secret-looking values masked, for logs. */
    public static Map<String, String> redacted(Configuration conf) {
        Map<String, String> out = new TreeMap<>();
        for (String key : new TreeSet<>(conf.keySet())) {
            out.put(key, Redaction.isSecret(key) ? Redaction.MASK : conf.getString(key, ""));
        }
        return out;
    }
}
