package io.tidemark.cli;

import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark savepoint bootstrap <job> --bootstrap HOST:PORT --to DIR}: a savepoint holding
 * the state the job builds from the history of its input topics, for a new deployment to start warm
 * (dedup ids, dimension versions, lateness maxima, open windows, source offsets).
 *
 * <p>The state is built by the job itself, not written operator by operator: the real topology
 * reads every input from the earliest offset up to the end offsets at start, on a local
 * MiniCluster, into scratch topics ({@code <topic><suffix>}), and stops with a savepoint (not
 * drained) once its consumer group has committed those offsets. The savepoint is therefore exactly
 * the state a full replay builds at that point, and the deployment resumed from it commits from
 * there on what a run that never stopped would have.
 */
@Command(
        name = "bootstrap",
        mixinStandardHelpOptions = true,
        description = {
            "Builds a savepoint from the history of JOB's input topics: runs the job from the"
                    + " earliest offsets to the end offsets at start on a local Flink, writing its"
                    + " results to scratch topics (<topic><suffix>), and stops it with a savepoint"
                    + " under DIR. Resume a new deployment from it with flink run -s."
        })
final class SavepointBootstrapCommand implements java.util.concurrent.Callable<Integer> {

    private static final Duration POLL = Duration.ofSeconds(1);

    @Spec CommandSpec spec;

    @Mixin JobParameter job;

    @Mixin KafkaRunOptions run;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "DIR",
            description = "Directory the savepoint is written under.")
    Path target;

    @Option(
            names = "--output-topic-suffix",
            defaultValue = "-bootstrap",
            paramLabel = "SUFFIX",
            description =
                    "Appended to every topic the bootstrap run writes (default: ${DEFAULT-VALUE});"
                            + " the topics must not exist.")
    String suffix;

    @Option(
            names = "--timeout",
            defaultValue = "30 min",
            paramLabel = "DURATION",
            description =
                    "Give up when the history is not read by then (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() throws Exception {
        TidemarkJob tidemarkJob = job.job();
        run.validate(spec);
        if (suffix.isBlank()) {
            throw CliOptions.invalid(
                    spec,
                    "--output-topic-suffix must not be empty: the bootstrap run writes to scratch topics");
        }
        Duration deadline = parseTimeout();
        Configuration conf = configuration(tidemarkJob);
        TidemarkConfig common = TidemarkConfig.from(conf, tidemarkJob.name());
        List<JobTopic> written = new ArrayList<>(tidemarkJob.resultTopics(conf));
        written.addAll(tidemarkJob.errorTopics(conf));
        PrintWriter out = spec.commandLine().getOut();

        try (Admin admin = Admin.create(common.kafkaProperties())) {
            List<JobTopic> inputs = tidemarkJob.inputs(conf);
            BackfillTopics topics = new BackfillTopics(admin);
            Map<TopicPartition, Long> ends = topics.endOffsets(inputs);
            topics.createFresh(written, topics.maxPartitions(inputs));
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            out.printf(
                    "Bootstrapping %s from the history of %s (%d records up to the end offsets),"
                            + " scratch output to %s%n",
                    job,
                    inputs.stream().map(JobTopic::topic).toList(),
                    total,
                    written.stream().map(JobTopic::topic).toList());
            out.flush();

            StreamExecutionEnvironment env = TidemarkEnvironment.create(common);
            tidemarkJob.build(env, conf);
            JobClient client = env.executeAsync("tidemark-savepoint-bootstrap-" + job);
            try {
                awaitRead(client, admin, common.groupId(), ends, deadline, out);
                String savepoint =
                        client.stopWithSavepoint(
                                        false,
                                        target.toAbsolutePath().toUri().toString(),
                                        SavepointFormatType.CANONICAL)
                                .get(5, TimeUnit.MINUTES);
                client.getJobExecutionResult().get(1, TimeUnit.MINUTES);
                out.println("Savepoint: " + savepoint);
                out.println(
                        "Check it with `tidemark savepoint check "
                                + job
                                + " --savepoint "
                                + Path.of(java.net.URI.create(savepoint))
                                + "`, resume it with `flink run -s "
                                + savepoint
                                + " …` (same job.name, topics and keys that decide results)."
                                + " The scratch topics can be deleted.");
                out.flush();
            } finally {
                cancelIfRunning(client);
            }
        }
        return 0;
    }

    private Configuration configuration(TidemarkJob tidemarkJob) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("kafka.bootstrap.servers", run.bootstrap);
        raw.put("source.start", "earliest");
        raw.put("source.stop", "none"); // a bounded split would keep its stop offset in state
        raw.put("topics.output-suffix", suffix);
        raw.put("source.group-id", "tidemark-" + tidemarkJob.name() + "-bootstrap" + suffix);
        raw.put("parallelism", Integer.toString(run.parallelism));
        raw.put("checkpoint.interval", "1 s");
        raw.putAll(run.overrides);
        try {
            Configuration conf = ConfigLoader.validate(raw, tidemarkJob.options(), System.getenv());
            TidemarkConfig.from(conf, tidemarkJob.name());
            return conf;
        } catch (IllegalArgumentException e) {
            throw CliOptions.invalid(spec, e.getMessage());
        }
    }

    private Duration parseTimeout() {
        try {
            return org.apache.flink.util.TimeUtils.parseDuration(timeout);
        } catch (IllegalArgumentException e) {
            throw CliOptions.invalid(
                    spec, "--timeout expects a duration such as 30 min, got '" + timeout + "'");
        }
    }

    /**
     * Waits until the job's consumer group has committed every end offset: the source commits
     * offsets when a checkpoint completes, so everything up to them is read and in state.
     */
    private static void awaitRead(
            JobClient client,
            Admin admin,
            String groupId,
            Map<TopicPartition, Long> ends,
            Duration timeout,
            PrintWriter out)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(groupId)
                            .partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS);
            long behind = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                behind += Math.max(0, end.getValue() - (at == null ? 0 : at.offset()));
            }
            if (behind == 0) {
                return;
            }
            JobStatus status = client.getJobStatus().get(30, TimeUnit.SECONDS);
            if (status.isGloballyTerminalState()) {
                throw new IllegalStateException(
                        "the bootstrap job ended (" + status + ") before reading its history");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the history was not read within "
                                + timeout
                                + ": "
                                + behind
                                + " records behind");
            }
            out.printf("  %d records behind%n", behind);
            out.flush();
            Thread.sleep(POLL.toMillis()); // re-check the condition
        }
    }

    private static void cancelIfRunning(JobClient client) {
        try {
            if (!client.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState()) {
                client.cancel().get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // already gone
        }
    }
}
