package io.tidemark.bench.variants;

import io.tidemark.bench.probe.ProcessProbe;
import io.tidemark.bench.probe.ResultLine;
import io.tidemark.bench.probe.SubtaskRecords;
import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.JobArgs;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.jobs.sessionization.SessionizationJob;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Savepoint restore and catch-up of the sessionization job: it runs live (unbounded) until half of
 * every input partition is committed, is stopped with a canonical savepoint, and a new job resumes
 * from it and reads the rest, bounded. Measured: the savepoint's duration and size, the time from
 * submitting the resumed job until its last stateful stage (the session windows) processes a record
 * — state restored, records flowing — and the resumed job's throughput over the rest.
 */
public final class TidemarkRestore {

    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final String LAST_STAGE = "session windows";

    public static void main(String[] args) {
        VariantMain.run(() -> measure(args));
    }

    private static void measure(String[] args) throws Exception {
        VariantArgs a = new VariantArgs(args, TidemarkSessions.DEFAULTS);
        SessionizationJob job = new SessionizationJob();
        String bootstrap = a.get("bootstrap");

        JobClient before = start(job, TidemarkSessions.jobArgs(a, "none"));
        String group = config(job, TidemarkSessions.jobArgs(a, "none")).groupId();
        awaitHalfCommitted(bootstrap, a.get("input"), group, before);
        long stopStart = System.nanoTime();
        String savepoint = stopWithSavepoint(before, Path.of(a.get("work-dir"), "savepoints"));
        long savepointMs = (System.nanoTime() - stopStart) / 1_000_000;
        long readBefore = total("validate");
        long windowedBefore = total(LAST_STAGE);

        List<String> resumed = TidemarkSessions.jobArgs(a, "latest");
        resumed.add("--set");
        resumed.add("flink.execution.state-recovery.path=" + savepoint);
        ProcessProbe probe = ProcessProbe.start();
        long submitted = System.nanoTime();
        JobClient after = start(job, resumed);
        long restoreMs = -1;
        long deadline = submitted + TIMEOUT.toNanos();
        while (restoreMs < 0) {
            if (total(LAST_STAGE) > windowedBefore) {
                restoreMs = (System.nanoTime() - submitted) / 1_000_000;
            } else if (after.getJobStatus().get().isGloballyTerminalState()
                    || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the resumed job processed nothing: " + after.getJobStatus().get());
            } else {
                Thread.sleep(10); // polling a counter, not waiting for a result
            }
        }
        after.getJobExecutionResult().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        ProcessProbe.Measurement measured = probe.stop();
        long rest = total("validate") - readBefore;
        double catchUpSeconds = (measured.wallMs() - restoreMs) / 1000.0;
        ResultLine.of("tidemark-restore", rest, measured)
                .with("stateBackend", a.get("state-backend"))
                .with("parallelism", a.integer("parallelism"))
                .with("savepointMs", savepointMs)
                .with("savepointBytes", size(Path.of(URI.create(savepoint))))
                .with("restoreMs", restoreMs)
                .with("catchUpEventsPerSec", Math.round(rest / catchUpSeconds))
                .print();
    }

    private static TidemarkConfig config(SessionizationJob job, List<String> args) {
        Configuration conf =
                ConfigLoader.load(JobArgs.parse(args.toArray(String[]::new)), job.options());
        return TidemarkConfig.from(conf, job.name());
    }

    private static JobClient start(SessionizationJob job, List<String> args) throws Exception {
        Configuration conf =
                ConfigLoader.load(JobArgs.parse(args.toArray(String[]::new)), job.options());
        var env = TidemarkEnvironment.create(TidemarkConfig.from(conf, job.name()));
        job.build(env, conf, InputTap.NONE);
        return env.executeAsync("bench-restore");
    }

    /** Records in of every subtask of the operators whose name starts with {@code prefix}. */
    private static long total(String prefix) {
        return SubtaskRecords.snapshot().entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .flatMapToLong(e -> java.util.Arrays.stream(e.getValue()))
                .sum();
    }

    /** Waits until the job's group has committed half of every partition's end offset. */
    private static void awaitHalfCommitted(
            String bootstrap, String topic, String group, JobClient client) throws Exception {
        Map<TopicPartition, Long> end = InputTopic.endOffsets(bootstrap, topic);
        Map<String, Object> props = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                boolean half =
                        end.entrySet().stream()
                                .allMatch(
                                        e ->
                                                committed.get(e.getKey()) != null
                                                        && committed.get(e.getKey()).offset()
                                                                >= e.getValue() / 2);
                if (half) {
                    return;
                }
                if (client.getJobStatus().get().isGloballyTerminalState()
                        || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "half the input was not committed: " + committed + " of " + end);
                }
                Thread.sleep(100); // polling committed offsets, not waiting for a result
            }
        }
    }

    /** Stops with a canonical savepoint; retried while tasks are still starting. */
    private static String stopWithSavepoint(JobClient client, Path dir) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                return client.stopWithSavepoint(
                                false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.filter(Files::isRegularFile).toList());
            long bytes = 0;
            for (Path f : all) {
                bytes += Files.size(f);
            }
            return bytes;
        }
    }
}
