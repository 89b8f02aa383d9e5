package io.tidemark.common.runtime.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Command-line arguments of every job main: {@code [--config FILE] [--set key=value]...}. Later
 * {@code --set}s override earlier ones and the file.
 *
 * @param configFile YAML file, or null
 * @param overrides {@code --set} values in the order given
 */
public record JobArgs(Path configFile, Map<String, String> overrides) {

    public static final String USAGE = "arguments: [--config FILE.yaml] [--set key=value]...";

    public static JobArgs parse(String... args) {
        Path file = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value;
            String name;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--")
                    && eq > 0
                    && (arg.startsWith("--set=") || arg.startsWith("--config="))) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                name = arg;
                if (i + 1 >= args.length) {
                    throw new InvalidConfigException("missing value after '" + arg + "'; " + USAGE);
                }
                value = args[++i];
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
                default ->
                        throw new InvalidConfigException(
                                "unknown argument '" + arg + "'; " + USAGE);
            }
        }
        return new JobArgs(file, Map.copyOf(overrides));
    }
}
