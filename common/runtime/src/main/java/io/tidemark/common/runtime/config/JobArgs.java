package io.tidemark.common.runtime.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line arguments of every job main:
 *
 * <pre>
 *   [--config FILE] [--set key=value]...
 *   [--bootstrap HOST:PORT] [--from earliest|ISO] [--to latest|ISO]
 *   [--execution streaming|batch] [--output-topic-suffix SUFFIX]
 * </pre>
 *
 * The backfill options are shorthands for {@code --set} keys ({@code kafka.bootstrap.servers},
 * {@code source.start}, {@code source.stop}, {@code execution.mode}, {@code topics.output-suffix}),
 * so {@code flink run} takes the same options as {@code tidemark backfill}. Arguments apply in
 * order: a later one overrides an earlier one and the file.
 *
 * @param configFile YAML file, or null
 * @param overrides the resulting key/values, in the order given
 */
public record JobArgs(Path configFile, Map<String, String> overrides) {

    public static final String USAGE =
            "arguments: [--config FILE.yaml] [--set key=value]... [--bootstrap HOST:PORT]"
                    + " [--from earliest|ISO-8601] [--to latest|ISO-8601]"
                    + " [--execution streaming|batch] [--output-topic-suffix SUFFIX]";

    private static final Map<String, String> SHORTHANDS =
            Map.of(
                    "--bootstrap", "kafka.bootstrap.servers",
                    "--from", TidemarkOptions.SOURCE_START.key(),
                    "--to", TidemarkOptions.SOURCE_STOP.key(),
                    "--execution", TidemarkOptions.EXECUTION_MODE.key(),
                    "--output-topic-suffix", TidemarkOptions.OUTPUT_TOPIC_SUFFIX.key());

    public static JobArgs parse(String... args) {
        Path file = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0 && isOption(arg.substring(0, eq))) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (isOption(arg)) {
                if (i + 1 >= args.length) {
                    throw new InvalidConfigException("missing value after '" + arg + "'; " + USAGE);
                }
                value = args[++i];
            } else {
                throw new InvalidConfigException("unknown argument '" + arg + "'; " + USAGE);
            }
            switch (name) {
                case "--config" -> file = Path.of(value);
                case "--set" -> {
                    int split = value.indexOf('=');
                    if (split <= 0) {
                        throw new InvalidConfigException(
                                "--set expects key=value, got '" + value + "'; " + USAGE);
                    }
                    overrides.put(
                            value.substring(0, split).strip(), value.substring(split + 1).strip());
                }
                case "--execution" ->
                        overrides.put(SHORTHANDS.get(name), value.toUpperCase(Locale.ROOT));
                default -> overrides.put(SHORTHANDS.get(name), value);
            }
        }
        return new JobArgs(file, Map.copyOf(overrides));
    }

    private static boolean isOption(String name) {
        return name.equals("--config") || name.equals("--set") || SHORTHANDS.containsKey(name);
    }
}
