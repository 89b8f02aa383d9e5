package io.tidemark.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runs of a benchmark, in order, with their arguments and the topics each one commits to. */
final class BenchPlan {

    static final String INPUT = "bench-clicks";
    static final String SQL_INPUT = "bench-clicks-plain";

    /** Every run, in the order they execute. */
    static final List<String> RUNS =
            List.of(
                    "consume-only",
                    "flink-passthrough",
                    "tidemark",
                    "tidemark-heap",
                    "tidemark-batch",
                    "tidemark-p4",
                    "flink-sql",
                    "flink-sql-heap",
                    "flink-sql-batch",
                    "kafka-streams");

    /**
     * One step.
     *
     * @param query the query the run computes ({@code sessionization}; {@code limit} for the
     *     consume-only and pass-through runs)
     * @param outputs report field → topic whose committed records are counted after the run
     * @param measured whether the step is a result (false for preparation)
     */
    record Step(VariantRun run, String query, Map<String, String> outputs, boolean measured) {}

    private BenchPlan() {}

    static List<Step> steps(String bootstrap, Path workDir, List<String> selected) {
        List<String> runs = selected.isEmpty() ? RUNS : selected;
        List<Step> steps = new ArrayList<>();
        boolean sqlPrepared = false;
        for (String name : RUNS) {
            if (!runs.contains(name)) {
                continue;
            }
            if (name.startsWith("flink-sql") && !sqlPrepared) {
                steps.add(
                        new Step(
                                new VariantRun(
                                        "flink-sql-prepare",
                                        "flink-sql",
                                        "io.tidemark.bench.sql.PrepareSqlInput",
                                        List.of(
                                                "--bootstrap",
                                                bootstrap,
                                                "--input",
                                                INPUT,
                                                "--plain",
                                                SQL_INPUT)),
                                "prepare",
                                Map.of(),
                                false));
                sqlPrepared = true;
            }
            steps.add(step(name, bootstrap, workDir.resolve(name)));
        }
        return steps;
    }

    private static Step step(String name, String bootstrap, Path dir) {
        String work = dir.toString();
        String gap = String.valueOf(BenchClicks.SESSION_GAP_MS);
        String bound = String.valueOf(BenchClicks.BOUND_MS);
        return switch (name) {
            case "consume-only" ->
                    new Step(
                            harness(
                                    name,
                                    "ConsumeOnly",
                                    "--bootstrap",
                                    bootstrap,
                                    "--input",
                                    INPUT,
                                    "--run-id",
                                    name),
                            "limit",
                            Map.of(),
                            true);
            case "flink-passthrough" ->
                    new Step(
                            harness(
                                    name,
                                    "FlinkPassThrough",
                                    "--bootstrap",
                                    bootstrap,
                                    "--input",
                                    INPUT,
                                    "--output",
                                    "bench-out-" + name,
                                    "--work-dir",
                                    work,
                                    "--run-id",
                                    name),
                            "limit",
                            outputs("outputs", "bench-out-" + name),
                            true);
            case "tidemark", "tidemark-heap", "tidemark-batch", "tidemark-p4" ->
                    tidemark(name, bootstrap, work);
            case "flink-sql", "flink-sql-heap", "flink-sql-batch" ->
                    new Step(
                            new VariantRun(
                                    name,
                                    "flink-sql",
                                    "io.tidemark.bench.sql.FlinkSqlSessions",
                                    List.of(
                                            "--bootstrap", bootstrap,
                                            "--input", SQL_INPUT,
                                            "--output", "bench-out-" + name,
                                            "--parallelism", "2",
                                            "--mode",
                                                    name.endsWith("batch") ? "batch" : "streaming",
                                            "--state-backend",
                                                    name.endsWith("heap") ? "hashmap" : "rocksdb",
                                            "--work-dir", work,
                                            "--gap-ms", gap,
                                            "--bound-ms", bound)),
                            "sessionization",
                            outputs("outputs", "bench-out-" + name),
                            true);
            case "kafka-streams" ->
                    new Step(
                            new VariantRun(
                                    name,
                                    "kafka-streams",
                                    "io.tidemark.bench.kstreams.KafkaStreamsSessions",
                                    List.of(
                                            "--bootstrap", bootstrap,
                                            "--input", INPUT,
                                            "--output", "bench-out-" + name,
                                            "--threads", "2",
                                            "--work-dir", work,
                                            "--gap-ms", gap,
                                            "--grace-ms", bound,
                                            "--commit-interval-ms", "10000")),
                            "sessionization",
                            outputs("outputs", "bench-out-" + name),
                            true);
            default -> throw new IllegalArgumentException("unknown run " + name);
        };
    }

    private static Step tidemark(String name, String bootstrap, String work) {
        String output = "bench-out-" + name;
        VariantRun run =
                harness(
                        name,
                        "TidemarkSessions",
                        "--bootstrap",
                        bootstrap,
                        "--input",
                        INPUT,
                        "--output",
                        output,
                        "--parallelism",
                        name.endsWith("p4") ? "4" : "2",
                        "--state-backend",
                        name.endsWith("heap") ? "hashmap" : "rocksdb",
                        "--mode",
                        name.endsWith("batch") ? "batch" : "streaming",
                        "--work-dir",
                        work,
                        "--run-id",
                        name);
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

    private static Map<String, String> outputs(String field, String topic) {
        return Map.of(field, topic);
    }
}
