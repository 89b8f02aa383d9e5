package io.tidemark.bench.variants;

import io.tidemark.bench.probe.SubtaskRecords;
import io.tidemark.bench.probe.VariantArgs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The job arguments every Tidemark run shares, whatever the job: broker, bound, stop position,
 * execution mode, parallelism, state backend, checkpoints every 10 s, a transactional-id prefix and
 * a consumer group unique to the run, the bench metric reporter, and a Flink setting under test.
 */
final class TidemarkArgs {

    private TidemarkArgs() {}

    /** The shared {@code --set} arguments of a run reading its input up to {@code stop}. */
    static List<String> common(VariantArgs a, String stop, long boundMs) {
        String runId = a.get("run-id");
        List<String> jobArgs = new ArrayList<>();
        set(jobArgs, "kafka.bootstrap.servers", a.get("bootstrap"));
        set(jobArgs, "job.name", "bench-" + runId);
        set(jobArgs, "topics.late", "bench-late-" + runId);
        set(jobArgs, "topics.dlq", "bench-dlq-" + runId);
        set(jobArgs, "event-time.out-of-orderness", boundMs + " ms");
        set(jobArgs, "source.stop", stop);
        set(jobArgs, "source.group-id", "bench-" + runId);
        set(jobArgs, "execution.mode", a.get("mode").toUpperCase());
        set(jobArgs, "parallelism", a.get("parallelism"));
        set(jobArgs, "state.backend", a.get("state-backend"));
        set(jobArgs, "checkpoint.interval", "10 s");
        set(
                jobArgs,
                "checkpoint.dir",
                Path.of(a.get("work-dir"), "checkpoints").toUri().toString());
        set(jobArgs, "sink.transactional-id-prefix", "bench-" + runId);
        set(
                jobArgs,
                "flink.metrics.reporter.bench.factory.class",
                SubtaskRecords.Factory.class.getName());

        String flink = a.optional("flink");
        if (flink != null) {
            // a Flink setting under test, e.g. state.backend.rocksdb.timer-service.factory=HEAP
            jobArgs.add("--set");
            jobArgs.add("flink." + flink);
        }
        return jobArgs;
    }

    static void set(List<String> args, String key, String value) {
        args.add("--set");
        args.add(key + "=" + value);
    }
}
