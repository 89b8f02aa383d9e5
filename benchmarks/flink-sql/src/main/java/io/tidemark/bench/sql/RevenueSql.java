package io.tidemark.bench.sql;

/**
 * The statements of {@link FlinkSqlRevenue}: the three input tables, the versioned views of the two
 * changelogs, the enriched order lines, and the two windowed aggregations into their sinks. Written
 * as a SQL user would, with no hint or tuning option beyond the job configuration.
 */
final class RevenueSql {

    private RevenueSql() {}

    /** The group key of a row whose product or customer version was not found. */
    static final String UNKNOWN = "unknown";

    /**
     * An input table: Kafka, bounded at the latest offsets when the job starts, plain Avro values,
     * event time {@code timeColumn} with a watermark {@code B} behind the largest seen.
     */
    static String sourceDdl(
            FlinkSqlRevenue.Options o,
            String table,
            String topic,
            java.util.List<RevenueTables.Column> columns,
            String computed,
            String timeColumn,
            String runId) {
        return "CREATE TABLE "
                + table
                + " (\n"
                + RevenueTables.columnsDdl(columns)
                + ",\n"
                + computed
                + "  WATERMARK FOR `"
                + timeColumn
                + "` AS `"
                + timeColumn
                + "` - "
                + Sql.interval(o.boundMs())
                + "\n) WITH (\n"
                + option("connector", "kafka")
                + option("topic", topic)
                + option("properties.bootstrap.servers", o.bootstrap())
                + option("properties.group.id", "tidemark-bench-sql-revenue-" + runId)
                + option("scan.startup.mode", "earliest-offset")
                + option("scan.bounded.mode", "latest-offset")
                + option("format", "avro")
                + lastOption(
                        "avro.timestamp_mapping.legacy",
                        Boolean.toString(ClickTable.LEGACY_TIMESTAMP_MAPPING))
                + ")";
    }

    static String ordersDdl(FlinkSqlRevenue.Options o, String runId) {
        return sourceDdl(o, "orders", o.orders(), RevenueTables.ORDERS, "", "eventTime", runId);
    }

    /** A changelog table; {@code id} is the changed row's id, from after or (delete) before. */
    static String changesDdl(
            FlinkSqlRevenue.Options o,
            String table,
            String topic,
            java.util.List<RevenueTables.Column> columns,
            String id,
            String runId) {
        return sourceDdl(
                o,
                table,
                topic,
                columns,
                "  `" + id + "` AS COALESCE(`after`.`" + id + "`, `before`.`" + id + "`),\n",
                "ts_ms",
                runId);
    }

    /**
     * The versioned view of a changelog (Flink's "versioned view": the latest change per key by
     * event time, over an append-only table): {@code id}, whether the row is deleted, and {@code
     * columns} of the after image.
     */
    static String versionedView(String view, String table, String id, String... columns) {
        StringBuilder select = new StringBuilder();
        for (String column : columns) {
            select.append(", `after`.`").append(column).append("` AS `").append(column).append('`');
        }
        return "CREATE TEMPORARY VIEW "
                + view
                + " AS\n"
                + "SELECT `"
                + id
                + "`, `op` = 'd' AS `deleted`"
                + select
                + ", `ts_ms`\n"
                + "FROM (\n"
                + "  SELECT *, ROW_NUMBER() OVER (PARTITION BY `"
                + id
                + "` ORDER BY `ts_ms` DESC) AS `rn`\n"
                + "  FROM "
                + table
                + ")\n"
                + "WHERE `rn` = 1";
    }

    /**
     * Orders counted once per orderId: the first copy in event time (Flink's deduplication,
     * keep-first-row on the time attribute), as Tidemark's dedup keeps the first copy.
     */
    static final String UNIQUE_ORDERS =
            "CREATE TEMPORARY VIEW unique_orders AS\n"
                    + "SELECT `orderId`, `customerId`, `eventTime`, `currency`, `lines`\n"
                    + "FROM (\n"
                    + "  SELECT *, ROW_NUMBER() OVER (PARTITION BY `orderId` ORDER BY `eventTime`"
                    + " ASC) AS `rn`\n"
                    + "  FROM orders)\n"
                    + "WHERE `rn` = 1";

    /**
     * Every order line with the product version and the customer version valid at the order's event
     * time (event-time temporal joins), grouped as Tidemark groups them: category and region
     * {@value #UNKNOWN} when no version (or a delete) is valid.
     */
    static final String ENRICHED_LINES =
            "CREATE TEMPORARY VIEW enriched_lines AS\n"
                    + "SELECT o.`orderId`, o.`eventTime`, o.`currency`,\n"
                    + "  CASE WHEN p.`productId` IS NULL OR p.`deleted` THEN '"
                    + UNKNOWN
                    + "' ELSE p.`category` END AS `category`,\n"
                    + "  CASE WHEN c.`customerId` IS NULL OR c.`deleted` THEN '"
                    + UNKNOWN
                    + "' ELSE c.`region` END AS `region`,\n"
                    + "  l.`quantity`, CAST(l.`quantity` AS BIGINT) * l.`unitPriceMinor` AS"
                    + " `amountMinor`\n"
                    + "FROM unique_orders AS o\n"
                    + "CROSS JOIN UNNEST(o.`lines`) AS l (`productId`, `quantity`,"
                    + " `unitPriceMinor`)\n"
                    + "LEFT JOIN product_versions FOR SYSTEM_TIME AS OF o.`eventTime` AS p\n"
                    + "  ON l.`productId` = p.`productId`\n"
                    + "LEFT JOIN customer_versions FOR SYSTEM_TIME AS OF o.`eventTime` AS c\n"
                    + "  ON o.`customerId` = c.`customerId`";

    /**
     * Revenue per (category, region, currency) and 1-minute tumbling window: an order counts once
     * per group however many of its lines fall into it, as in Tidemark's job.
     */
    static final String WINDOWS_1M =
            "CREATE TEMPORARY VIEW revenue_1m AS\n"
                    + "SELECT window_start AS `wstart`, window_end AS `wend`, window_time AS"
                    + " `wtime`,\n"
                    + "  `category`, `region`, `currency`,\n"
                    + "  COUNT(DISTINCT `orderId`) AS `orders`, CAST(SUM(`quantity`) AS BIGINT) AS"
                    + " `units`,\n"
                    + "  SUM(`amountMinor`) AS `revenueMinor`\n"
                    + "FROM TABLE(TUMBLE(TABLE enriched_lines, DESCRIPTOR(`eventTime`), INTERVAL"
                    + " '1' MINUTE))\n"
                    + "GROUP BY window_start, window_end, window_time, `category`, `region`,"
                    + " `currency`";

    /**
     * The 1-hour rollup: a cascaded window over the 1-minute results ({@code minutes}: {@code
     * revenue_1m} with its window time as {@code rowtime}, see {@link FlinkSqlRevenue}).
     */
    static final String ROLLUP_1H =
            "CREATE TEMPORARY VIEW revenue_1h AS\n"
                    + "SELECT window_start AS `wstart`, window_end AS `wend`, `category`, `region`,"
                    + " `currency`,\n"
                    + "  SUM(`orders`) AS `orders`, SUM(`units`) AS `units`, SUM(`revenueMinor`)"
                    + " AS `revenueMinor`\n"
                    + "FROM TABLE(TUMBLE(TABLE minutes, DESCRIPTOR(`rowtime`), INTERVAL '1'"
                    + " HOUR))\n"
                    + "GROUP BY window_start, window_end, `category`, `region`, `currency`";

    /**
     * A sink with RevenueAggregate's columns, types and order as its value (plain Avro), keyed like
     * Tidemark's output ({@code category|region|currency|windowStart}, raw UTF-8), stamped with the
     * window start, written in Kafka transactions committed on checkpoints.
     */
    static String sinkDdl(FlinkSqlRevenue.Options o, String table, String topic, String runId) {
        return "CREATE TABLE "
                + table
                + " (\n"
                + "  `key` STRING NOT NULL,\n"
                + "  `windowStart` TIMESTAMP_LTZ(3) NOT NULL,\n"
                + "  `windowEnd` TIMESTAMP_LTZ(3) NOT NULL,\n"
                + "  `category` STRING NOT NULL,\n"
                + "  `region` STRING NOT NULL,\n"
                + "  `currency` STRING NOT NULL,\n"
                + "  `orders` BIGINT NOT NULL,\n"
                + "  `units` BIGINT NOT NULL,\n"
                + "  `revenueMinor` BIGINT NOT NULL,\n"
                + "  `ts` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp'\n"
                + ") WITH (\n"
                + option("connector", "kafka")
                + option("topic", topic)
                + option("properties.bootstrap.servers", o.bootstrap())
                + option("key.format", "raw")
                + option("key.fields", "key")
                + option("value.format", "avro")
                + option(
                        "value.avro.timestamp_mapping.legacy",
                        Boolean.toString(ClickTable.LEGACY_TIMESTAMP_MAPPING))
                + option("value.fields-include", "EXCEPT_KEY")
                + option("sink.delivery-guarantee", "exactly-once")
                + option("sink.transactional-id-prefix", "tidemark-bench-sql-" + table + runId)
                + lastOption("properties.transaction.timeout.ms", "900000")
                + ")";
    }

    /** Writes a window view into a sink; its bounds wstart and wend are TIMESTAMP(3) in UTC. */
    static String insert(String sink, String view) {
        return "INSERT INTO "
                + sink
                + "\n"
                + "SELECT `category` || '|' || `region` || '|' || `currency` || '|' ||"
                + " DATE_FORMAT(`wstart`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `key`,\n"
                + "  CAST(`wstart` AS TIMESTAMP_LTZ(3)), CAST(`wend` AS TIMESTAMP_LTZ(3)),\n"
                + "  `category`, `region`, `currency`, `orders`, `units`, `revenueMinor`,\n"
                + "  CAST(`wstart` AS TIMESTAMP_LTZ(3)) AS `ts`\n"
                + "FROM "
                + view;
    }

    private static String option(String key, String value) {
        return "  '" + key + "' = '" + value.replace("'", "''") + "',\n";
    }

    private static String lastOption(String key, String value) {
        return "  '" + key + "' = '" + value.replace("'", "''") + "'\n";
    }
}
