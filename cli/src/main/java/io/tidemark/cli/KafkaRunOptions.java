package io.tidemark.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options of every command that runs a job on a local Flink against a user's Kafka
 * ({@code @Mixin}): the broker, the parallelism and job configuration.
 */
final class KafkaRunOptions {

    @Option(
            names = "--bootstrap",
            required = true,
            paramLabel = "HOST:PORT",
            description = "Kafka.")
    String bootstrap;

    @Option(names = "--parallelism", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Job configuration, as for the job itself (keys that decide results,"
                            + " max-parallelism, kafka.* security settings).")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** Usage errors for values picocli's conversion cannot catch. */
    void validate(CommandSpec spec) {
        CliOptions.atLeast(spec, "--parallelism", parallelism, 1);
    }
}
