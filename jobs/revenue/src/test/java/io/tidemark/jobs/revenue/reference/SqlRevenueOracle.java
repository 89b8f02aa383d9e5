package io.tidemark.jobs.revenue.reference;

import java.time.ZoneOffset;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * The revenue aggregation as a Flink SQL window table-valued-function query, run in BATCH mode on a
 * bounded table of enriched order lines: an oracle that shares no code with the job's windows.
 *
 * <pre>
 *   SELECT window_start, window_end, category, region, currency,
 *          COUNT(DISTINCT orderId), SUM(quantity), SUM(amount)
 *   FROM TABLE(TUMBLE(TABLE lines, DESCRIPTOR(ts), INTERVAL '1' MINUTES))
 *   GROUP BY window_start, window_end, category, region, currency
 * </pre>
 *
 * In BATCH there is no watermark, so no line can be dropped as late by the oracle itself. The lines
 * reach the table through a bounded sequence source that indexes a list held by this JVM (the
 * MiniCluster runs in the test JVM), so the job graph does not carry 200,000 rows.
 */
public final class SqlRevenueOracle {

    /** The rows of the running query; read by the source's map function in the same JVM. */
    private static volatile List<RevenueLine> rows = List.of();

    private SqlRevenueOracle() {}

    /**
     * @param interval a SQL interval literal, e.g. {@code INTERVAL '1' MINUTES}
     * @return results by output key, in the job's canonical JSON
     */
    public static synchronized SortedMap<String, String> aggregate(
            List<RevenueLine> lines, String interval, int parallelism) throws Exception {
        rows = List.copyOf(lines);
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
            env.setParallelism(parallelism);
            StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
            tEnv.getConfig().setLocalTimeZone(ZoneOffset.UTC);

            TypeInformation<Row> rowType =
                    Types.ROW_NAMED(
                            new String[] {
                                "orderId",
                                "category",
                                "region",
                                "currency",
                                "quantity",
                                "amount",
                                "tsMs"
                            },
                            Types.STRING,
                            Types.STRING,
                            Types.STRING,
                            Types.STRING,
                            Types.LONG,
                            Types.LONG,
                            Types.LONG);
            int count = rows.size();
            DataStream<Row> source =
                    env.fromSequence(0, count - 1)
                            .map(SqlRevenueOracle::row, rowType)
                            .name("enriched order lines");
            tEnv.createTemporaryView(
                    "lines",
                    tEnv.fromDataStream(
                            source,
                            Schema.newBuilder()
                                    .columnByExpression("ts", "TO_TIMESTAMP_LTZ(tsMs, 3)")
                                    .build()));

            String sql =
                    "SELECT window_start, window_end, category, region, currency,"
                            + " COUNT(DISTINCT orderId) AS orders, SUM(quantity) AS units,"
                            + " SUM(amount) AS revenueMinor"
                            + " FROM TABLE(TUMBLE(TABLE lines, DESCRIPTOR(ts), "
                            + interval
                            + "))"
                            + " GROUP BY window_start, window_end, category, region, currency";
            SortedMap<String, String> results = new TreeMap<>();
            try (CloseableIterator<Row> it = tEnv.sqlQuery(sql).execute().collect()) {
                while (it.hasNext()) {
                    Row r = it.next();
                    long start = millis(r.getField("window_start"));
                    long end = millis(r.getField("window_end"));
                    String category = (String) r.getField("category");
                    String region = (String) r.getField("region");
                    String currency = (String) r.getField("currency");
                    String key = RevenueReferenceModel.key(category, region, currency, start);
                    String line =
                            RevenueReferenceModel.canonical(
                                    category,
                                    region,
                                    currency,
                                    start,
                                    end,
                                    ((Number) r.getField("orders")).longValue(),
                                    ((Number) r.getField("units")).longValue(),
                                    ((Number) r.getField("revenueMinor")).longValue());
                    if (results.put(key, line) != null) {
                        throw new IllegalStateException("SQL gave two rows for " + key);
                    }
                }
            }
            return results;
        } finally {
            rows = List.of();
        }
    }

    private static Row row(Long index) {
        RevenueLine l = rows.get(Math.toIntExact(index));
        return Row.of(
                l.orderId(),
                l.category(),
                l.region(),
                l.currency(),
                l.quantity(),
                l.amountMinor(),
                l.eventTimeMs());
    }

    /** window_start/window_end: TIMESTAMP(3) in the session time zone, which is UTC here. */
    private static long millis(Object timestamp) {
        if (timestamp instanceof java.time.LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        if (timestamp instanceof java.time.Instant t) {
            return t.toEpochMilli();
        }
        throw new IllegalStateException("unexpected window bound " + timestamp);
    }
}
