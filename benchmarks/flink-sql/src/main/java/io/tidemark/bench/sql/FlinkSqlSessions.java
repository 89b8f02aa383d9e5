package io.tidemark.bench.sql;

import io.tidemark.bench.probe.ProcessProbe;
import io.tidemark.bench.probe.ResultLine;
import io.tidemark.bench.probe.SubtaskRecords;
import io.tidemark.bench.probe.VariantArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * Tidemark's sessionization query in Flink SQL, on the same Flink 2.2 and the same input (made
 * readable by the {@code avro} format by {@link PrepareSqlInput}), in a local MiniCluster with the
 * Tidemark jobs' configuration: Kafka table source bounded at the input's latest offsets, event
 * time with a {@code B}-bounded watermark, session windows of gap {@code G} per user, an
 * exactly-once Kafka table sink keyed by session id.
 *
 * <p>Streaming mode uses the {@code SESSION} window table function. Flink 2.2 has no session window
 * in batch mode (neither that function nor the group window {@code GROUP BY SESSION(...)}), so
 * batch mode numbers the sessions with {@code LAG} and a running {@code SUM} over the user's clicks
 * in event-time order, then groups by user and session number (see {@link Sql#batchInsert}). Both
 * compute the same columns.
 *
 * <p>Measured: from just before the {@code INSERT} is submitted until the job has finished (its
 * last transaction committed). Prints one {@link ResultLine}; exits 0, or 1 after printing the
 * cause.
 */
public final class FlinkSqlSessions {

    static final Map<String, String> DEFAULTS =
            Map.ofEntries(
                    Map.entry("bootstrap", ""),
                    Map.entry("input", "bench-clicks-plain"),
                    Map.entry("output", "bench-sessions-sql"),
                    Map.entry("parallelism", "2"),
                    Map.entry("mode", "streaming"),
                    Map.entry("state-backend", "rocksdb"),
                    Map.entry("work-dir", ""),
                    Map.entry("gap-minutes", "30"),
                    Map.entry("gap-ms", ""),
                    Map.entry("bound-ms", "2000"),
                    // true: unbounded, runs until killed (the harness's latency runs)
                    Map.entry("follow", "false"));

    static final int MAX_PARALLELISM = 128;
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    private FlinkSqlSessions() {}

    /** The arguments of one run. */
    record Options(
            String bootstrap,
            String input,
            String output,
            int parallelism,
            boolean batch,
            String stateBackend,
            Path workDir,
            long gapMs,
            long boundMs,
            boolean follow) {

        static Options parse(String[] args) throws java.io.IOException {
            VariantArgs a = VariantArgs.parse(args, DEFAULTS);
            long gapMs =
                    a.optional("gap-ms") != null
                            ? a.number("gap-ms")
                            : Duration.ofMinutes(a.number("gap-minutes")).toMillis();
            Path workDir =
                    a.optional("work-dir") != null
                            ? Path.of(a.get("work-dir"))
                            : Files.createTempDirectory("tidemark-bench-sql");
            Options options =
                    new Options(
                            a.get("bootstrap"),
                            a.get("input"),
                            a.get("output"),
                            (int) a.number("parallelism"),
                            a.oneOf("mode", "streaming", "batch").equals("batch"),
                            a.oneOf("state-backend", "rocksdb", "hashmap"),
                            workDir.toAbsolutePath(),
                            gapMs,
                            a.number("bound-ms"),
                            a.oneOf("follow", "false", "true").equals("true"));
            if (options.gapMs <= 0 || options.boundMs < 0 || options.parallelism <= 0) {
                throw new IllegalArgumentException(
                        "--gap-ms/--gap-minutes and --parallelism must be positive, --bound-ms"
                                + " not negative");
            }
            return options;
        }

        String variant() {
            return batch ? "flink-sql-batch" : "flink-sql";
        }

        String mode() {
            return batch ? "batch" : "streaming";
        }
    }

    public static void main(String[] args) {
        try {
            run(Options.parse(args)).print();
            System.exit(0);
        } catch (Throwable e) {
            Throwable cause = PrepareSqlInput.rootCause(e);
            System.err.println("flink-sql failed: " + cause);
            e.printStackTrace();
            System.out.println("flink-sql failed: " + cause);
            System.out.flush();
            System.exit(1);
        }
    }

    /** Runs the query once and returns its result line (not yet printed). */
    static ResultLine run(Options o) throws Exception {
        long records;
        try (Topics topics = new Topics(o.bootstrap())) {
            records = topics.records(o.input());
            topics.createIfMissing(o.output(), topics.partitions(o.input()).orElseThrow());
        }
        String runId = Long.toString(System.currentTimeMillis(), 36) + "-" + shortId();

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(configuration(o));
        env.setParallelism(o.parallelism());
        env.setMaxParallelism(MAX_PARALLELISM);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        // DATE_FORMAT of the session id and EXTRACT(EPOCH ...) read TIMESTAMP_LTZ in UTC.
        tables.getConfig().set("table.local-time-zone", "UTC");
        tables.executeSql(Sql.sourceDdl(o, runId));
        tables.executeSql(Sql.sinkDdl(o, runId));
        String insert = o.batch() ? Sql.batchInsert(o) : Sql.streamingInsert(o);

        ProcessProbe probe = ProcessProbe.start();
        long started = System.nanoTime();
        TableResult result = tables.executeSql(insert);
        // Planning (parse, optimize, code generation), the MiniCluster's start and the job's
        // submission: a fixed cost inside the measurement, reported on its own.
        long submitMs = (System.nanoTime() - started) / 1_000_000;
        result.await();
        ProcessProbe.Measurement measured = probe.stop();

        return ResultLine.of(o.variant(), records, measured)
                .with("subtasks", SubtaskRecords.snapshot())
                .with("checkpoints", SubtaskRecords.checkpoints())
                .with("mode", o.mode())
                .with("stateBackend", o.stateBackend())
                .with("parallelism", o.parallelism())
                .with("submitMs", submitMs);
    }

    /** The Tidemark jobs' configuration, for a local MiniCluster. */
    static Configuration configuration(Options o) {
        return configuration(o.batch(), o.parallelism(), o.stateBackend(), o.workDir());
    }

    /** The Tidemark jobs' configuration, for a local MiniCluster. */
    static Configuration configuration(
            boolean batch, int parallelism, String stateBackend, Path workDir) {
        Configuration conf = new Configuration();
        conf.set(
                ExecutionOptions.RUNTIME_MODE,
                batch ? RuntimeExecutionMode.BATCH : RuntimeExecutionMode.STREAMING);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        conf.set(PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
        conf.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        if (!batch) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, CHECKPOINT_INTERVAL);
        }
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                workDir.resolve("checkpoints").toUri().toString());
        // Every variant runs at the same parallelism: BATCH must not size stages from data volume.
        conf.setString("execution.batch.adaptive.auto-parallelism.enabled", "false");
        conf.setString(
                "metrics.reporter.bench.factory.class", SubtaskRecords.Factory.class.getName());
        return conf;
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
