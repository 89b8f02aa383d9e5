package io.tidemark.cli;

import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark replay <job>}: the real job over a JSON Lines input, on an embedded broker and a
 * local MiniCluster, with its committed output written as canonical JSON Lines.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a job over JSON Lines input on an embedded Kafka broker and a local Flink"
                    + " MiniCluster until the input is consumed, and writes what it committed:"
                    + " <output>.jsonl (one canonical JSON object per line, sorted by output key),"
                    + " late.jsonl, dlq.jsonl and metrics.json."
        })
final class ReplayCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin JobParameter job;

    @Mixin InputOption input;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "DIR",
            description = "Where to write.")
    Path output;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            description = "Partitions of each input topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--execution",
            defaultValue = "streaming",
            paramLabel = "streaming|batch",
            description =
                    "streaming (bounded at the offsets latest at start) or batch (default:"
                            + " ${DEFAULT-VALUE}).")
    String execution;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Job configuration, e.g. --set event-time.out-of-orderness=5s.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        TidemarkJob tidemarkJob = job.job();
        CliOptions.atLeast(spec, "--partitions", partitions, 1);
        CliOptions.atLeast(spec, "--parallelism", parallelism, 1);
        ReplayOptions options =
                new ReplayOptions(partitions, parallelism, executionMode(), overrides);
        Map<String, List<String>> inputs = input.read(tidemarkJob);

        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "Replaying %s over %s (%d partitions, parallelism %d, %s)...%n",
                job, input, partitions, parallelism, options.mode());
        out.flush();
        ReplayResult result;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            result = Replay.run(tidemarkJob, inputs, options, kafka);
        }
        result.writeTo(output);
        out.println(Summary.of(result));
        out.println("Wrote " + output.toAbsolutePath().normalize() + "/");
        out.flush();
        return 0;
    }

    private ExecutionMode executionMode() {
        return switch (execution.toLowerCase(java.util.Locale.ROOT)) {
            case "streaming" -> ExecutionMode.STREAMING;
            case "batch" -> ExecutionMode.BATCH;
            default ->
                    throw CliOptions.invalid(
                            spec,
                            "--execution must be streaming or batch, got '" + execution + "'");
        };
    }
}
