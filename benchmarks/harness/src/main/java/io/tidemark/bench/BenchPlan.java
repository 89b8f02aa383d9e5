package io.tidemark.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of a benchmark, in order, with their arguments and the topics each one commits to.
 *
 * <p>The head-to-head runs read the full input ({@code --events}, 5 M clicks by default). The runs
 * that compare settings of one variant (state backend, BATCH, parallelism, timers) read a smaller
 * topic holding the first {@code --small-events} clicks of the same stream, each against a baseline
 * on that same topic, so the whole benchmark stays under 30 minutes on 2 cores. The revenue runs
 * ({@code *-revenue}) read the shop instead: {@code --orders} orders and the product and customer
 * changelogs ({@link BenchOrders}).
 */
final class BenchPlan {

    /** The two inputs: the same seeded stream, all of it and its first part. */
    enum Input {
        // The production topic name: the lateness classifier is keyed by "<topic>/<partition>",
        // so which subtask each partition's records land on depends on the name.
        FULL("clicks", 2),
        SMALL("clicks-small", 2),
        // The p=4 run reads 4 partitions, so every stage could use all 4 subtasks.
        SMALL_4P("clicks-small-4p", 4);

        final String topic;
        final int partitions;

        Input(String topic, int partitions) {
            this.topic = topic;
            this.partitions = partitions;
        }

        /** The copy of the topic in plain Avro that Flink SQL's {@code avro} format reads. */
        String plainTopic() {
            return topic + "-plain";
        }
    }

    /** The restore run's topic: the first half of {@link Input#SMALL} when the run starts. */
    static final String RESTORE_INPUT = "clicks-restore";

    /** Every run, in the order they execute. */
    static final List<String> RUNS =
            List.of(
                    "consume-only",
                    "flink-passthrough",
                    "tidemark",
                    "flink-sql",
                    "kafka-streams",
                    "tidemark-revenue",
                    "flink-sql-revenue",
                    "kafka-streams-revenue",
                    "tidemark-small",
                    "tidemark-heap-small",
                    "tidemark-heap-timers-small",
                    "tidemark-no-object-reuse-small",
                    "tidemark-batch-small",
                    "tidemark-p4-small",
                    "tidemark-restore-small",
                    "flink-sql-small",
                    "flink-sql-heap-small",
                    "flink-sql-batch-small",
                    "latency-tidemark",
                    "latency-flink-sql",
                    "latency-kafka-streams");

    /** The query of the revenue runs. */
    static final String REVENUE = "revenue";

    /** The suffix of the revenue runs, which read the shop ({@link BenchOrders}), not clicks. */
    private static final String REVENUE_SUFFIX = "-" + REVENUE;

    /** Whether the run reads the shop's orders and changelogs rather than clicks. */
    static boolean isRevenue(String run) {
        return run.endsWith(REVENUE_SUFFIX);
    }

    /** Whether any of the selected runs (all when empty) reads clicks, or the shop. */
    static boolean needs(List<String> selected, boolean revenue) {
        List<String> runs = selected.isEmpty() ? RUNS : selected;
        return runs.stream().anyMatch(run -> isRevenue(run) == revenue);
    }

    /**
     * One step.
     *
     * @param query the query the run computes ({@code sessionization}, {@code revenue}; {@code
     *     limit} for the consume-only and pass-through runs)
     * @param outputs report field → topic whose committed records are counted after the run
     * @param measured whether the step is a result (false for preparation)
     */
    record Step(VariantRun run, String query, Map<String, String> outputs, boolean measured) {}

    private BenchPlan() {}

    static Input input(String run) {
        if (run.contains("-p4")) {
            return Input.SMALL_4P;
        }
        return run.endsWith("-small") ? Input.SMALL : Input.FULL;
    }

    static List<Step> steps(String bootstrap, Path workDir, List<String> selected) {
        List<String> runs = selected.isEmpty() ? RUNS : selected;
        List<Step> steps = new ArrayList<>();
        List<Input> prepared = new ArrayList<>();
        for (String name : RUNS) {
            if (!runs.contains(name) || name.startsWith("latency-")) {
                continue;
            }
            if (isRevenue(name)) {
                if (name.startsWith("flink-sql")) {
                    steps.add(prepareSqlRevenue(bootstrap));
                }
                steps.add(revenue(name, bootstrap, workDir.resolve(name).toString()));
                continue;
            }
            Input input = input(name);
            if (name.startsWith("flink-sql") && !prepared.contains(input)) {
                steps.add(prepareSql(bootstrap, input));
                prepared.add(input);
            }
            steps.add(step(name, bootstrap, input, workDir.resolve(name).toString()));
        }
        return steps;
    }

    /**
     * The latency runs selected, each producing at half the rate its variant reached in this
     * benchmark's throughput run ({@code throughput}: run name → events/s), or 20,000/s when that
     * run was not done.
     */
    static List<LatencyRun> latencyRuns(
            String bootstrap, Path workDir, List<String> selected, Map<String, Double> throughput) {
        List<String> runs = selected.isEmpty() ? RUNS : selected;
        List<LatencyRun> latency = new ArrayList<>();
        for (String name : RUNS) {
            if (!name.startsWith("latency-") || !runs.contains(name)) {
                continue;
            }
            String variant = name.substring("latency-".length());
            double rate = throughput.getOrDefault(variant, 40_000.0) / 2;
            String input = "clicks-live-" + variant;
            String output = "bench-out-" + name;
            String work = workDir.resolve(name).toString();
            String gap = String.valueOf(BenchClicks.SESSION_GAP_MS);
            String bound = String.valueOf(BenchClicks.BOUND_MS);
            VariantRun run =
                    switch (variant) {
                        case "tidemark" ->
                                new VariantRun(
                                        name,
                                        "harness",
                                        "io.tidemark.bench.variants.TidemarkSessions",
                                        List.of(
                                                "--bootstrap", bootstrap,
                                                "--input", input,
                                                "--output", output,
                                                "--work-dir", work,
                                                "--run-id", name,
                                                "--stop", "none"));
                        case "flink-sql" ->
                                new VariantRun(
                                        name,
                                        "flink-sql",
                                        "io.tidemark.bench.sql.FlinkSqlSessions",
                                        List.of(
                                                "--bootstrap", bootstrap,
                                                "--input", input,
                                                "--output", output,
                                                "--work-dir", work,
                                                "--gap-ms", gap,
                                                "--bound-ms", bound,
                                                "--follow", "true"));
                        default ->
                                new VariantRun(
                                        name,
                                        "kafka-streams",
                                        "io.tidemark.bench.kstreams.KafkaStreamsSessions",
                                        List.of(
                                                "--bootstrap", bootstrap,
                                                "--input", input,
                                                "--output", output,
                                                "--threads", "2",
                                                "--work-dir", work,
                                                "--gap-ms", gap,
                                                "--grace-ms", bound,
                                                "--commit-interval-ms", "10000",
                                                "--follow", "true"));
                    };
            latency.add(
                    new LatencyRun(
                            name,
                            run,
                            input,
                            output,
                            variant.equals("flink-sql")
                                    ? PacedClicks.Encoding.PLAIN_SQL
                                    : PacedClicks.Encoding.SINGLE_OBJECT,
                            variant.equals("kafka-streams"),
                            rate));
        }
        return latency;
    }

    private static Step prepareSql(String bootstrap, Input input) {
        return new Step(
                new VariantRun(
                        "flink-sql-prepare-" + input.name().toLowerCase(),
                        "flink-sql",
                        "io.tidemark.bench.sql.PrepareSqlInput",
                        List.of(
                                "--bootstrap",
                                bootstrap,
                                "--input",
                                input.topic,
                                "--plain",
                                input.plainTopic())),
                "prepare",
                Map.of(),
                false);
    }

    /** The plain-Avro copies of the shop that Flink SQL's {@code avro} format reads. */
    static String plain(BenchOrders.Stream stream) {
        return stream.topic + "-plain";
    }

    private static Step prepareSqlRevenue(String bootstrap) {
        List<String> args = new ArrayList<>(List.of("--bootstrap", bootstrap));
        for (BenchOrders.Stream stream : BenchOrders.Stream.values()) {
            args.addAll(List.of("--" + stream.topic, stream.topic));
            args.addAll(List.of("--" + stream.topic + "-plain", plain(stream)));
        }
        return new Step(
                new VariantRun(
                        "flink-sql-prepare-revenue",
                        "flink-sql",
                        "io.tidemark.bench.sql.PrepareSqlRevenueInput",
                        args),
                "prepare",
                Map.of(),
                false);
    }

    /**
     * A revenue run: the revenue job, or the same query in Flink SQL or Kafka Streams, on the
     * shop's three topics; each commits 1-minute windows to {@code bench-out-<run>-1m} and the
     * 1-hour rollup to {@code bench-out-<run>-1h}.
     */
    private static Step revenue(String name, String bootstrap, String work) {
        String windows = "bench-out-" + name + "-1m";
        String rollup = "bench-out-" + name + "-1h";
        String bound = String.valueOf(BenchOrders.BOUND_MS);
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("outputs", windows);
        outputs.put("rollup", rollup);
        VariantRun run;
        if (name.startsWith("tidemark")) {
            run =
                    harness(
                            name,
                            "TidemarkRevenue",
                            "--bootstrap",
                            bootstrap,
                            "--output-1m",
                            windows,
                            "--output-1h",
                            rollup,
                            "--work-dir",
                            work,
                            "--run-id",
                            name);
            outputs.put("late", "bench-late-" + name);
            outputs.put("dlq", "bench-dlq-" + name);
        } else if (name.startsWith("flink-sql")) {
            run =
                    new VariantRun(
                            name,
                            "flink-sql",
                            "io.tidemark.bench.sql.FlinkSqlRevenue",
                            List.of(
                                    "--bootstrap",
                                    bootstrap,
                                    "--orders",
                                    plain(BenchOrders.Stream.ORDERS),
                                    "--products",
                                    plain(BenchOrders.Stream.PRODUCTS),
                                    "--customers",
                                    plain(BenchOrders.Stream.CUSTOMERS),
                                    "--output-1m",
                                    windows,
                                    "--output-1h",
                                    rollup,
                                    "--parallelism",
                                    "2",
                                    "--state-backend",
                                    "rocksdb",
                                    "--work-dir",
                                    work,
                                    "--bound-ms",
                                    bound));
        } else {
            run =
                    new VariantRun(
                            name,
                            "kafka-streams",
                            "io.tidemark.bench.kstreams.KafkaStreamsRevenue",
                            List.of(
                                    "--bootstrap", bootstrap,
                                    "--output-1m", windows,
                                    "--output-1h", rollup,
                                    "--threads", "2",
                                    "--work-dir", work,
                                    "--grace-ms", bound,
                                    "--commit-interval-ms", "10000"));
        }
        return new Step(run, REVENUE, outputs, true);
    }

    private static Step step(String name, String bootstrap, Input input, String work) {
        String output = "bench-out-" + name;
        String gap = String.valueOf(BenchClicks.SESSION_GAP_MS);
        String bound = String.valueOf(BenchClicks.BOUND_MS);
        if (name.equals("consume-only")) {
            return new Step(
                    harness(
                            name,
                            "ConsumeOnly",
                            "--bootstrap",
                            bootstrap,
                            "--input",
                            input.topic,
                            "--run-id",
                            name),
                    "limit",
                    Map.of(),
                    true);
        }
        if (name.equals("flink-passthrough")) {
            return new Step(
                    harness(
                            name,
                            "FlinkPassThrough",
                            "--bootstrap",
                            bootstrap,
                            "--input",
                            input.topic,
                            "--output",
                            output,
                            "--work-dir",
                            work,
                            "--run-id",
                            name),
                    "limit",
                    Map.of("outputs", output),
                    true);
        }
        if (name.startsWith("tidemark")) {
            return tidemark(name, bootstrap, input, work);
        }
        if (name.startsWith("flink-sql")) {
            return new Step(
                    new VariantRun(
                            name,
                            "flink-sql",
                            "io.tidemark.bench.sql.FlinkSqlSessions",
                            List.of(
                                    "--bootstrap", bootstrap,
                                    "--input", input.plainTopic(),
                                    "--output", output,
                                    "--parallelism", "2",
                                    "--mode", name.contains("-batch") ? "batch" : "streaming",
                                    "--state-backend",
                                            name.contains("-heap") ? "hashmap" : "rocksdb",
                                    "--work-dir", work,
                                    "--gap-ms", gap,
                                    "--bound-ms", bound)),
                    "sessionization",
                    Map.of("outputs", output),
                    true);
        }
        if (name.equals("kafka-streams")) {
            return new Step(
                    new VariantRun(
                            name,
                            "kafka-streams",
                            "io.tidemark.bench.kstreams.KafkaStreamsSessions",
                            List.of(
                                    "--bootstrap", bootstrap,
                                    "--input", input.topic,
                                    "--output", output,
                                    "--threads", "2",
                                    "--work-dir", work,
                                    "--gap-ms", gap,
                                    "--grace-ms", bound,
                                    "--commit-interval-ms", "10000")),
                    "sessionization",
                    Map.of("outputs", output),
                    true);
        }
        throw new IllegalArgumentException("unknown run " + name);
    }

    private static Step tidemark(String name, String bootstrap, Input input, String work) {
        String output = "bench-out-" + name;
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap",
                                bootstrap,
                                "--input",
                                input.topic,
                                "--output",
                                output,
                                "--parallelism",
                                name.contains("-p4") ? "4" : "2",
                                "--state-backend",
                                name.contains("-heap-small") ? "hashmap" : "rocksdb",
                                "--mode",
                                name.contains("-batch") ? "batch" : "streaming",
                                "--work-dir",
                                work,
                                "--run-id",
                                name));
        if (name.contains("-heap-timers")) {
            // A candidate optimisation, measured before it is adopted: timers on the heap
            // (checkpointed with the keyed state) instead of in RocksDB.
            args.addAll(List.of("--flink", "state.backend.rocksdb.timer-service.factory=HEAP"));
        }
        if (name.contains("-restore")) {
            // starts on the first half (see Bench), appends the rest after the savepoint
            args.set(args.indexOf("--input") + 1, RESTORE_INPUT);
            args.addAll(List.of("--rest-from", input.topic));
        }
        if (name.contains("-no-object-reuse")) {
            // Sessionization turns object reuse on by default (0.3.0): this measures its gain.
            args.addAll(List.of("--flink", "pipeline.object-reuse=false"));
        }
        VariantRun run =
                new VariantRun(
                        name,
                        "harness",
                        "io.tidemark.bench.variants."
                                + (name.contains("-restore")
                                        ? "TidemarkRestore"
                                        : "TidemarkSessions"),
                        args);
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("outputs", output);
        outputs.put("late", "bench-late-" + name);
        outputs.put("dlq", "bench-dlq-" + name);
        return new Step(run, "sessionization", outputs, true);
    }

    private static VariantRun harness(String name, String mainClass, String... args) {
        return new VariantRun(
                name, "harness", "io.tidemark.bench.variants." + mainClass, List.of(args));
    }
}
