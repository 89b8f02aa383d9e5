package io.tidemark.bench.variants;

import io.tidemark.bench.probe.ProcessProbe;
import io.tidemark.bench.probe.ResultLine;
import io.tidemark.bench.probe.SubtaskRecords;
import io.tidemark.bench.probe.VariantArgs;
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
 * Savepoint restore and catch-up of the sessionization job: it runs live (unbounded) on a topic
 * holding the first half of the input until all of it is committed, is stopped with a canonical
 * savepoint; the rest of the input is appended (not measured) and a new job resumes from the
 * savepoint and catches up. Measured: the savepoint's duration and size, the time from submitting
 * the resumed job until its last stateful stage (the session windows) processes a record — state
 * restored, records flowing — and the resumed job's throughput over the rest.
 */
public final class TidemarkRestore {

    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final String LAST_STAGE = "session windows";

    public static void main(String[] args) {
        VariantMain.run(() -> measure(args));
    }

    private static void measure(String[] args) throws Exception {
        Map<String, String> defaults = new java.util.HashMap<>(TidemarkSessions.DEFAULTS);
        // the topic holding the whole input; --input holds its first half when the run starts
        defaults.put("rest-from", "");
        VariantArgs a = VariantArgs.parse(args, defaults);
        SessionizationJob job = new SessionizationJob();
        String bootstrap = a.get("bootstrap");

        JobClient before = start(job, TidemarkSessions.jobArgs(a, "none"));
        String group = config(job, TidemarkSessions.jobArgs(a, "none")).groupId();
        awaitCommitted(bootstrap, a.get("input"), group, before, 1.0);
        System.err.println("bench: the first half committed, stopping with a savepoint");
        long stopStart = System.nanoTime();
        String savepoint = stopWithSavepoint(before, Path.of(a.get("work-dir"), "savepoints"));
        long savepointMs = (System.nanoTime() - stopStart) / 1_000_000;
        long readBefore = total("validate");
        long windowedBefore = total(LAST_STAGE);

        List<String> resumed = TidemarkSessions.jobArgs(a, "latest");
        resumed.add("--set");
        resumed.add("flink.execution.state-recovery.path=" + savepoint);
        long copied = RestInput.copy(bootstrap, a.get("rest-from"), a.get("input"));
        System.err.println(
                "bench: savepoint " + savepoint + "; " + copied + " more records; resuming");
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
        // The restored source splits keep the first job's (absent) stopping offsets, so the
        // resumed job does not end by itself: it is stopped once a checkpoint covers all input.
        System.err.println("bench: records flowing after " + restoreMs + " ms; catching up");
        while (total("validate") - readBefore < copied) {
            if (after.getJobStatus().get().isGloballyTerminalState()
                    || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the resumed job did not read the rest: " + after.getJobStatus().get());
            }
            Thread.sleep(10); // polling a counter, not waiting for a result
        }
        // Caught up: every appended record read and processed. The commit of its results waits
        // for the next checkpoint (up to 10 s), not measured here.
        ProcessProbe.Measurement measured = probe.stop();
        long rest = total("validate") - readBefore;
        awaitCommitted(bootstrap, a.get("input"), group, after, 1.0);
        stopWithSavepoint(after, Path.of(a.get("work-dir"), "savepoints"));
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

    /** Waits until the job's group has committed {@code fraction} of every partition's end. */
    private static void awaitCommitted(
            String bootstrap, String topic, String group, JobClient client, double fraction)
            throws Exception {
        Map<TopicPartition, Long> end = InputTopic.endOffsets(bootstrap, topic);
        Map<String, Object> props = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                boolean done =
                        end.entrySet().stream()
                                .allMatch(
                                        e ->
                                                committed.get(e.getKey()) != null
                                                        && committed.get(e.getKey()).offset()
                                                                >= (long)
                                                                        (e.getValue() * fraction));
                if (done) {
                    return;
                }
                if (client.getJobStatus().get().isGloballyTerminalState()
                        || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "not committed "
                                    + fraction
                                    + " of the input: "
                                    + committed
                                    + " of "
                                    + end);
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
