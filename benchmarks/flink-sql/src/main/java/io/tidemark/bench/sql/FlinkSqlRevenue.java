package io.tidemark.bench.sql;

import io.tidemark.bench.probe.ProcessProbe;
import io.tidemark.bench.probe.ResultLine;
import io.tidemark.bench.probe.SubtaskRecords;
import io.tidemark.bench.probe.VariantArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * Tidemark's revenue query in Flink SQL, on the same Flink 2.2 and the same input (made readable by
 * the {@code avro} format by {@link PrepareSqlRevenueInput}), in a local MiniCluster with the
 * Tidemark jobs' configuration (see {@link FlinkSqlSessions#configuration}): orders deduplicated by
 * orderId, their lines joined with the product and customer versions valid at the order's event
 * time (event-time temporal joins on versioned views of the changelogs), revenue per (category,
 * region, currency) in 1-minute tumbling windows and their 1-hour rollup, each into an exactly-once
 * Kafka sink. Both inserts run as one job (a statement set), sharing the joins.
 *
 * <p>Measured: from just before the statement set is submitted until the job has finished (its last
 * transactions committed). Prints one {@link ResultLine}; exits 0, or 1 after printing the cause.
 * {@code records} is every record of the three inputs.
 */
public final class FlinkSqlRevenue {

    static final Map<String, String> DEFAULTS =
            Map.ofEntries(
                    Map.entry("bootstrap", ""),
                    Map.entry("orders", "orders-plain"),
                    Map.entry("products", "products-plain"),
                    Map.entry("customers", "customers-plain"),
                    Map.entry("output-1m", "bench-revenue-1m-sql"),
                    Map.entry("output-1h", "bench-revenue-1h-sql"),
                    Map.entry("parallelism", "2"),
                    Map.entry("state-backend", "rocksdb"),
                    Map.entry("work-dir", ""),
                    Map.entry("bound-ms", "2000"));

    private FlinkSqlRevenue() {}

    /** The arguments of one run. */
    record Options(
            String bootstrap,
            String orders,
            String products,
            String customers,
            String output1m,
            String output1h,
            int parallelism,
            String stateBackend,
            Path workDir,
            long boundMs) {

        static Options parse(String[] args) throws java.io.IOException {
            VariantArgs a = VariantArgs.parse(args, DEFAULTS);
            Path workDir =
                    a.optional("work-dir") != null
                            ? Path.of(a.get("work-dir"))
                            : Files.createTempDirectory("tidemark-bench-sql-revenue");
            return new Options(
                    a.get("bootstrap"),
                    a.get("orders"),
                    a.get("products"),
                    a.get("customers"),
                    a.get("output-1m"),
                    a.get("output-1h"),
                    a.integer("parallelism"),
                    a.oneOf("state-backend", "rocksdb", "hashmap"),
                    workDir.toAbsolutePath(),
                    a.number("bound-ms"));
        }
    }

    public static void main(String[] args) {
        try {
            run(Options.parse(args)).print();
            System.exit(0);
        } catch (Throwable e) {
            Throwable cause = PrepareSqlInput.rootCause(e);
            System.err.println("flink-sql-revenue failed: " + cause);
            e.printStackTrace();
            System.out.println("flink-sql-revenue failed: " + cause);
            System.out.flush();
            System.exit(1);
        }
    }

    /** Runs the query once and returns its result line (not yet printed). */
    static ResultLine run(Options o) throws Exception {
        long orders;
        long records;
        try (Topics topics = new Topics(o.bootstrap())) {
            orders = topics.records(o.orders());
            records = orders + topics.records(o.products()) + topics.records(o.customers());
            int partitions = topics.partitions(o.orders()).orElseThrow();
            topics.createIfMissing(o.output1m(), partitions);
            topics.createIfMissing(o.output1h(), partitions);
        }
        String runId = Long.toString(System.currentTimeMillis(), 36) + "-" + shortId();

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        FlinkSqlSessions.configuration(
                                false, o.parallelism(), o.stateBackend(), o.workDir()));
        env.setParallelism(o.parallelism());
        env.setMaxParallelism(FlinkSqlSessions.MAX_PARALLELISM);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        // DATE_FORMAT of the output key and the window bounds read in UTC.
        tables.getConfig().set("table.local-time-zone", "UTC");
        for (String statement : statements(o, runId)) {
            tables.executeSql(statement);
        }
        ProcessProbe probe = ProcessProbe.start();
        long started = System.nanoTime();
        shareMinutes(tables);
        tables.executeSql(RevenueSql.ROLLUP_1H);
        StreamStatementSet inserts = tables.createStatementSet();
        inserts.addInsertSql(RevenueSql.insert("sink_1m", "minutes"));
        inserts.addInsertSql(RevenueSql.insert("sink_1h", "revenue_1h"));
        inserts.attachAsDataStream();
        // Planning and code generation: inside the measurement, as for the sessions query.
        long submitMs = (System.nanoTime() - started) / 1_000_000;
        env.execute("flink-sql-revenue");
        ProcessProbe.Measurement measured = probe.stop();

        return ResultLine.of("flink-sql-revenue", records, measured)
                .with("orders", orders)
                .with("subtasks", SubtaskRecords.snapshot())
                .with("checkpoints", SubtaskRecords.checkpoints())
                .with("mode", "streaming")
                .with("stateBackend", o.stateBackend())
                .with("parallelism", o.parallelism())
                .with("submitMs", submitMs);
    }

    /**
     * Registers the 1-minute results as the view {@code minutes}, computed once for both inserts.
     * Each insert expands the views it reads, and the planner reuses a common sub-plan only up to
     * the {@code UNNEST}: its correlation variable differs between the two expansions, so the joins
     * and the minute windows would run twice (seen in the plan). A {@code toDataStream} / {@code
     * fromDataStream} round trip makes them one node; the window time stays the rowtime (the record
     * timestamp) and the watermark passes through ({@code SOURCE_WATERMARK()}).
     */
    private static void shareMinutes(StreamTableEnvironment tables) {
        DataStream<Row> minutes = tables.toDataStream(tables.from("revenue_1m"));
        tables.createTemporaryView(
                "minutes",
                tables.fromDataStream(
                        minutes,
                        Schema.newBuilder()
                                .columnByMetadata("rowtime", "TIMESTAMP_LTZ(3)")
                                .watermark("rowtime", "SOURCE_WATERMARK()")
                                .build()));
    }

    /** The tables and views, in the order they must be created. */
    static java.util.List<String> statements(Options o, String runId) {
        return java.util.List.of(
                RevenueSql.ordersDdl(o, runId),
                RevenueSql.changesDdl(
                        o, "products", o.products(), RevenueTables.PRODUCTS, "productId", runId),
                RevenueSql.changesDdl(
                        o,
                        "customers",
                        o.customers(),
                        RevenueTables.CUSTOMERS,
                        "customerId",
                        runId),
                RevenueSql.versionedView("product_versions", "products", "productId", "category"),
                RevenueSql.versionedView("customer_versions", "customers", "customerId", "region"),
                RevenueSql.UNIQUE_ORDERS,
                RevenueSql.ENRICHED_LINES,
                RevenueSql.WINDOWS_1M,
                RevenueSql.sinkDdl(o, "sink_1m", o.output1m(), runId),
                RevenueSql.sinkDdl(o, "sink_1h", o.output1h(), runId));
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
