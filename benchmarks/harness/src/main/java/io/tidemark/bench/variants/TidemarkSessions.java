package io.tidemark.bench.variants;

import io.tidemark.bench.BenchClicks;
import io.tidemark.bench.probe.ProcessProbe;
import io.tidemark.bench.probe.ResultLine;
import io.tidemark.bench.probe.SubtaskRecords;
import io.tidemark.bench.probe.VariantArgs;
import io.tidemark.jobs.sessionization.SessionizationJob;
import java.util.List;
import java.util.Map;

/**
 * The Tidemark sessionization job itself, started through its real {@code main} (config →
 * environment → topology) on a local MiniCluster, bounded at the input's end offsets: validation,
 * deterministic lateness, dedup by eventId, session windows, exactly-once Kafka sinks for sessions,
 * late records and the DLQ.
 */
public final class TidemarkSessions {

    /** The arguments every Tidemark run accepts, with their defaults. */
    static final Map<String, String> DEFAULTS =
            Map.of(
                    "bootstrap", "",
                    "input", "clicks",
                    "output", "bench-sessions-tidemark",
                    "parallelism", "2",
                    "state-backend", "rocksdb",
                    "mode", "streaming",
                    "work-dir", "",
                    "run-id", "run",
                    "flink", "",
                    "stop", "latest");

    public static void main(String[] args) {
        VariantMain.run(() -> measure(args));
    }

    private static void measure(String[] args) throws Exception {
        VariantArgs a = VariantArgs.parse(args, DEFAULTS);
        long records = InputTopic.records(a.get("bootstrap"), a.get("input"));
        List<String> jobArgs = jobArgs(a, a.get("stop"));
        String flink = a.optional("flink");
        ProcessProbe probe = ProcessProbe.start();
        SessionizationJob.main(jobArgs.toArray(String[]::new));
        ProcessProbe.Measurement measured = probe.stop();
        ResultLine.of("tidemark", records, measured)
                .with("mode", a.get("mode"))
                .with("stateBackend", a.get("state-backend"))
                .with("parallelism", a.integer("parallelism"))
                .with("flink", flink == null ? "" : flink)
                .with("subtasks", SubtaskRecords.snapshot())
                .with("checkpoints", SubtaskRecords.checkpoints())
                .print();
    }

    /** The job's arguments for a run reading the input up to {@code stop} ({@code source.stop}). */
    static List<String> jobArgs(VariantArgs a, String stop) {
        List<String> jobArgs = TidemarkArgs.common(a, stop, BenchClicks.BOUND_MS);
        TidemarkArgs.set(jobArgs, "topics.clicks", a.get("input"));
        TidemarkArgs.set(jobArgs, "topics.user-sessions", a.get("output"));
        TidemarkArgs.set(jobArgs, "session.gap", BenchClicks.SESSION_GAP_MS + " ms");
        return jobArgs;
    }
}
