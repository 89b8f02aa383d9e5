package io.tidemark.bench.variants;

import io.tidemark.bench.BenchOrders;
import io.tidemark.bench.probe.ProcessProbe;
import io.tidemark.bench.probe.ResultLine;
import io.tidemark.bench.probe.SubtaskRecords;
import io.tidemark.bench.probe.VariantArgs;
import io.tidemark.jobs.revenue.RevenueJob;
import java.util.List;
import java.util.Map;

/**
 * The Tidemark revenue job itself, started through its real {@code main} (config → environment →
 * topology) on a local MiniCluster, bounded at the inputs' end offsets: validation and
 * deterministic lateness of orders, products and customers, dedup of orders by orderId, the
 * event-time temporal joins with the product and customer changelogs, 1-minute revenue windows per
 * (category, region, currency) and their 1-hour rollup, exactly-once Kafka sinks for both, late
 * records and the DLQ.
 *
 * <p>{@code records} is every record of the three input topics (orders and changelogs), the same
 * count the Flink SQL and Kafka Streams revenue runs report.
 */
public final class TidemarkRevenue {

    static final Map<String, String> DEFAULTS =
            Map.ofEntries(
                    Map.entry("bootstrap", ""),
                    Map.entry("orders", BenchOrders.Stream.ORDERS.topic),
                    Map.entry("products", BenchOrders.Stream.PRODUCTS.topic),
                    Map.entry("customers", BenchOrders.Stream.CUSTOMERS.topic),
                    Map.entry("output-1m", "bench-revenue-1m-tidemark"),
                    Map.entry("output-1h", "bench-revenue-1h-tidemark"),
                    Map.entry("parallelism", "2"),
                    Map.entry("state-backend", "rocksdb"),
                    Map.entry("mode", "streaming"),
                    Map.entry("work-dir", ""),
                    Map.entry("run-id", "run"),
                    Map.entry("flink", ""),
                    Map.entry("stop", "latest"));

    private TidemarkRevenue() {}

    public static void main(String[] args) {
        VariantMain.run(() -> measure(args));
    }

    private static void measure(String[] args) throws Exception {
        VariantArgs a = VariantArgs.parse(args, DEFAULTS);
        long orders = InputTopic.records(a.get("bootstrap"), a.get("orders"));
        long records =
                orders
                        + InputTopic.records(a.get("bootstrap"), a.get("products"))
                        + InputTopic.records(a.get("bootstrap"), a.get("customers"));
        List<String> jobArgs = jobArgs(a);
        String flink = a.optional("flink");
        ProcessProbe probe = ProcessProbe.start();
        RevenueJob.main(jobArgs.toArray(String[]::new));
        ProcessProbe.Measurement measured = probe.stop();
        ResultLine.of("tidemark-revenue", records, measured)
                .with("orders", orders)
                .with("mode", a.get("mode"))
                .with("stateBackend", a.get("state-backend"))
                .with("parallelism", a.integer("parallelism"))
                .with("flink", flink == null ? "" : flink)
                .with("subtasks", SubtaskRecords.snapshot())
                .with("checkpoints", SubtaskRecords.checkpoints())
                .print();
    }

    static List<String> jobArgs(VariantArgs a) {
        List<String> jobArgs = TidemarkArgs.common(a, a.get("stop"), BenchOrders.BOUND_MS);
        TidemarkArgs.set(jobArgs, "topics.orders", a.get("orders"));
        TidemarkArgs.set(jobArgs, "topics.products", a.get("products"));
        TidemarkArgs.set(jobArgs, "topics.customers", a.get("customers"));
        TidemarkArgs.set(jobArgs, "topics.revenue-1m", a.get("output-1m"));
        TidemarkArgs.set(jobArgs, "topics.revenue-1h", a.get("output-1h"));
        return jobArgs;
    }
}
