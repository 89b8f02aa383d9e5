package io.tidemark.bench;

import io.tidemark.common.local.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tidemark bench}: generates the input once into an embedded KRaft broker, runs every
 * variant on it one after another, each in its own JVM, and writes {@code
 * benchmarks/results/<date>.md} and {@code .json}.
 *
 * <pre>
 *   Bench [--events 5000000] [--small-events 1000000] [--users 10000] [--orders 200000]
 *         [--customers 10000] [--seed 42] [--runs a,b,...]
 *         [--out benchmarks/results] [--work-dir target/bench] [--timeout-s 1200]
 * </pre>
 */
public final class Bench {

    /** Writes the clicks: the full input, its first part and the restore run's first half. */
    private static InputLoader.Loaded loadClicks(EmbeddedKafka kafka, BenchOptions options) {
        String bootstrap = kafka.bootstrapServers();
        InputLoader.Loaded loaded = null;
        for (BenchPlan.Input input : BenchPlan.Input.values()) {
            long events = input == BenchPlan.Input.FULL ? options.events() : options.smallEvents();
            kafka.createTopic(input.topic, input.partitions);
            // the same seed: the small topic holds the first clicks of the full stream
            InputLoader.Loaded written =
                    InputLoader.load(
                            bootstrap,
                            input.topic,
                            new BenchClicks(events, options.users(), 1_000, options.seed()));
            System.out.printf(
                    "loaded %,d clicks (%,d value bytes) into %s%n",
                    written.records(), written.valueBytes(), input.topic);
            if (input == BenchPlan.Input.FULL) {
                loaded = written;
            }
        }
        kafka.createTopic(BenchPlan.RESTORE_INPUT, 2);
        InputLoader.load(
                bootstrap,
                BenchPlan.RESTORE_INPUT,
                new BenchClicks(options.smallEvents() / 2, options.users(), 1_000, options.seed()));
        return loaded;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        Path root = Path.of("").toAbsolutePath();
        Path workDir = Files.createDirectories(options.workDir().toAbsolutePath());
        System.out.println("tidemark bench: " + options);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            long loadStart = System.nanoTime();
            InputLoader.Loaded loaded = null;
            if (BenchPlan.needs(options.runs(), false)) {
                loaded = loadClicks(kafka, options);
            }
            InputLoader.LoadedShop shop = null;
            if (BenchPlan.needs(options.runs(), true)) {
                for (BenchOrders.Stream stream : BenchOrders.Stream.values()) {
                    kafka.createTopic(stream.topic, 2);
                }
                shop =
                        InputLoader.loadOrders(
                                bootstrap,
                                new BenchOrders(
                                        options.orders(), options.customers(), options.seed()));
                System.out.printf(
                        "loaded %,d orders and %,d product and customer changes (%,d value bytes)%n",
                        shop.orders(), shop.changes(), shop.valueBytes());
            }
            long loadMs = (System.nanoTime() - loadStart) / 1_000_000;

            List<Map<String, Object>> results = new ArrayList<>();
            for (BenchPlan.Step step : BenchPlan.steps(bootstrap, workDir, options.runs())) {
                System.out.println("running " + step.run().name() + " ...");
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("run", step.run().name());
                result.put("query", step.query());
                try {
                    step.outputs().values().forEach(topic -> kafka.createTopic(topic, 2));
                    result.putAll(
                            step.run()
                                    .run(
                                            root,
                                            workDir.resolve(step.run().name()),
                                            options.timeoutSeconds()));
                    if (step.measured() && !result.containsKey("records")) {
                        throw new IllegalStateException(
                                step.run().name() + " printed no result line");
                    }
                    for (Map.Entry<String, String> output : step.outputs().entrySet()) {
                        result.put(
                                output.getKey(), CommittedCount.of(bootstrap, output.getValue()));
                    }
                    if (step.measured()) {
                        System.out.println("  " + Report.summary(result));
                    }
                } catch (RuntimeException e) {
                    result.put("error", e.getMessage());
                    System.out.println("  FAILED: " + e.getMessage());
                }
                if (step.measured()) {
                    results.add(result);
                }
            }
            Map<String, Double> throughput = new java.util.HashMap<>();
            for (Map<String, Object> result : results) {
                if (result.containsKey("records")) {
                    throughput.put((String) result.get("run"), Report.rate(result));
                }
            }
            List<Map<String, Object>> latency = new ArrayList<>();
            for (LatencyRun run :
                    BenchPlan.latencyRuns(bootstrap, workDir, options.runs(), throughput)) {
                System.out.printf("running %s at %,.0f clicks/s ...%n", run.name(), run.rate());
                kafka.createTopic(run.input(), 2);
                kafka.createTopic(run.output(), 2);
                // the Tidemark job's late and DLQ topics (unused by the other variants)
                kafka.createTopic("bench-late-" + run.name(), 2);
                kafka.createTopic("bench-dlq-" + run.name(), 2);
                Map<String, Object> result =
                        run.measure(bootstrap, root, workDir.resolve(run.name()), options);
                System.out.println("  " + result);
                latency.add(result);
            }
            Path out = Files.createDirectories(options.out());
            String date = LocalDate.now(ZoneOffset.UTC).toString();
            Report report = new Report(options, loaded, shop, loadMs, results, latency);
            Files.writeString(out.resolve(date + ".json"), report.json());
            Files.writeString(out.resolve(date + ".md"), report.markdown(date));
            System.out.println("report: " + out.resolve(date + ".md"));
        }
    }
}
