package io.tidemark.cli;

import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.metrics.ProgressReporter;
import io.tidemark.common.local.metrics.ProgressReporterFactory;
import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.schemas.AvroJson;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark backfill <job>}: the real job over a historical range of its source topics on a
 * local MiniCluster, into fresh output topics, with progress and a summary. The same options work
 * as job arguments for {@code flink run} (see {@code JobArgs}).
 */
@Command(
        name = "backfill",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a job over a range of its source topics on a local Flink MiniCluster, bounded,"
                    + " into fresh output topics (<topic><suffix>), printing progress and a"
                    + " summary. Same topology as the live job: the output equals what the live"
                    + " job committed for the same input."
        })
final class BackfillCommand implements Callable<Integer> {

    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);

    @Spec CommandSpec spec;

    @Mixin JobParameter job;

    @Mixin KafkaRunOptions run;

    @Option(
            names = "--from",
            defaultValue = "earliest",
            paramLabel = "earliest|ISO",
            description = "Start: earliest, or the first record stamped at or after an instant.")
    String from;

    @Option(
            names = "--to",
            defaultValue = "latest",
            paramLabel = "latest|ISO",
            description =
                    "Stop: the offsets latest at start, or before the first record stamped at or after an instant.")
    String to;

    @Option(
            names = "--execution",
            defaultValue = "batch",
            paramLabel = "batch|streaming",
            description =
                    "BATCH (no checkpoints) or bounded STREAMING (default: ${DEFAULT-VALUE}).")
    String execution;

    @Option(
            names = "--output-topic-suffix",
            required = true,
            paramLabel = "SUFFIX",
            description = "Appended to every topic the job writes, e.g. -backfill-20261125.")
    String suffix;

    @Option(
            names = "--warm-up",
            paramLabel = "DURATION",
            description =
                    "Read this much before --from to rebuild state (lateness maxima, open"
                            + " sessions, dimension versions) but write nothing stamped before"
                            + " --from, e.g. 6 h. Needs --from as an instant.")
    String warmUp;

    @Option(
            names = "--include-late",
            description =
                    "BATCH only: also process the live job's LATE records (from --late-topic) as"
                            + " if on time. The output then differs from the live run on purpose.")
    boolean includeLate;

    @Option(
            names = "--late-topic",
            paramLabel = "TOPIC",
            description = "The live job's late topic for --include-late (default: <job>-late).")
    String lateTopic;

    @Override
    public Integer call() throws Exception {
        TidemarkJob tidemarkJob = job.job();
        run.validate(spec);
        if (suffix.isBlank()) {
            throw CliOptions.invalid(
                    spec,
                    "--output-topic-suffix must not be empty: a backfill writes to fresh topics");
        }
        Configuration conf = configuration(tidemarkJob);
        TidemarkConfig common;
        try {
            common = TidemarkConfig.from(conf, tidemarkJob.name());
        } catch (IllegalArgumentException e) {
            throw CliOptions.invalid(spec, e.getMessage());
        }
        if (!common.stop().isBounded()) {
            throw CliOptions.invalid(
                    spec, "--to must be latest or an ISO-8601 instant: a backfill is bounded");
        }
        PrintWriter out = spec.commandLine().getOut();

        List<JobTopic> inputs = tidemarkJob.inputs(conf);
        List<JobTopic> written = new ArrayList<>(tidemarkJob.resultTopics(conf));
        written.addAll(tidemarkJob.errorTopics(conf));
        long total;
        try (Admin admin = Admin.create(common.kafkaProperties())) {
            BackfillTopics topics = new BackfillTopics(admin);
            total = topics.recordsInRange(inputs, common.start(), common.stop());
            topics.createFresh(written, topics.maxPartitions(inputs));
        }
        out.printf(
                "Backfilling %s from %s to %s (%s, parallelism %d): %d records in range%n",
                job, from, to, common.executionMode(), run.parallelism, total);
        out.printf(
                "Writing to %s%n",
                String.join(", ", written.stream().map(JobTopic::topic).toList()));
        out.flush();

        ProgressReporter.reset();
        long started = System.nanoTime();
        StreamExecutionEnvironment env = TidemarkEnvironment.create(common);
        tidemarkJob.build(env, conf);
        JobClient client = env.executeAsync("tidemark-backfill-" + job + suffix);
        CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
        while (true) {
            try {
                result.get(PROGRESS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException stillRunning) {
                out.println(progressLine(ProgressReporter.snapshot(), total, started));
                out.flush();
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        out.println(progressLine(ProgressReporter.snapshot(), total, started));

        // Every Kafka client takes the job's kafka.* settings (SASL, TLS, …), this one too.
        CommittedReader.awaitSettled(
                run.bootstrap,
                written.stream().map(JobTopic::topic).toList(),
                common.kafkaProperties(),
                CommittedReader.DEFAULT_TIMEOUT);
        out.printf("Done in %.1f s.%n", took.toMillis() / 1000.0);
        for (JobTopic topic : written) {
            int committed =
                    CommittedReader.read(run.bootstrap, topic.topic(), common.kafkaProperties())
                            .size();
            out.printf("  %-10s %-40s %d records%n", topic.role(), topic.topic(), committed);
        }
        out.flush();
        return 0;
    }

    private Configuration configuration(TidemarkJob tidemarkJob) {
        String mode = execution.toUpperCase(Locale.ROOT);
        if (!mode.equals("BATCH") && !mode.equals("STREAMING")) {
            throw CliOptions.invalid(
                    spec, "--execution must be batch or streaming, got '" + execution + "'");
        }
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("kafka.bootstrap.servers", run.bootstrap);
        raw.put("source.start", from);
        if (warmUp != null) {
            java.time.Instant start;
            java.time.Duration duration;
            try {
                start = java.time.Instant.parse(from);
            } catch (java.time.format.DateTimeParseException e) {
                throw CliOptions.invalid(
                        spec, "--warm-up needs --from as an ISO-8601 instant, got '" + from + "'");
            }
            try {
                duration = org.apache.flink.util.TimeUtils.parseDuration(warmUp);
            } catch (IllegalArgumentException e) {
                throw CliOptions.invalid(
                        spec,
                        "--warm-up expects a duration such as 6 h or 30 min, got '" + warmUp + "'");
            }
            raw.put("source.start", start.minus(duration).toString());
            raw.put("source.emit-from", start.toString());
        }
        raw.put("source.stop", to);
        raw.put("execution.mode", mode);
        raw.put("topics.output-suffix", suffix);
        // Its own consumer group, so the live job's committed offsets are left alone.
        raw.put("source.group-id", "tidemark-" + tidemarkJob.name() + "-backfill" + suffix);
        raw.put("parallelism", Integer.toString(run.parallelism));
        raw.put("checkpoint.interval", "2 s");
        if (ExecutionMode.valueOf(mode) == ExecutionMode.BATCH) {
            raw.put("state.backend", "HASHMAP");
        }
        raw.put(
                "flink.metrics.reporter.progress.factory.class",
                ProgressReporterFactory.class.getName());
        if (includeLate) {
            String jobName = run.overrides.getOrDefault("job.name", tidemarkJob.name());
            raw.put(
                    "source.include-late-topic",
                    lateTopic != null
                            ? lateTopic
                            : run.overrides.getOrDefault("topics.late", jobName + "-late"));
        } else if (lateTopic != null) {
            throw CliOptions.invalid(spec, "--late-topic is only used with --include-late");
        }
        raw.putAll(run.overrides);
        try {
            return ConfigLoader.validate(raw, tidemarkJob.options(), System.getenv());
        } catch (IllegalArgumentException e) {
            throw CliOptions.invalid(spec, e.getMessage());
        }
    }

    static String progressLine(ProgressReporter.Progress progress, long total, long startedNanos) {
        long read = Math.min(progress.recordsRead(), total);
        double elapsed = (System.nanoTime() - startedNanos) / 1e9;
        String eta =
                read == 0 || read >= total
                        ? "-"
                        : String.format("%.0f s", elapsed * (total - read) / read);
        return String.format(
                "  read %d / %d (%.1f%%), event time %s, elapsed %.0f s, ETA %s",
                progress.recordsRead(),
                total,
                total == 0 ? 100.0 : 100.0 * read / total,
                progress.eventTime() == null ? "-" : AvroJson.formatInstant(progress.eventTime()),
                elapsed,
                eta);
    }
}
