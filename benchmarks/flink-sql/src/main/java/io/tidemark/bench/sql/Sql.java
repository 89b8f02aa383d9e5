package io.tidemark.bench.sql;

/**
 * The statements of {@link FlinkSqlSessions}: the two tables and the two forms of the session
 * query. Written as a SQL user would, with no hint or tuning option beyond the job configuration.
 */
final class Sql {

    private Sql() {}

    /**
     * The input: Kafka, bounded at the latest offsets when the job starts, values in plain Avro;
     * event time with a watermark {@code B} behind the largest event time seen. {@code product} is
     * {@code productId} with empty ids as null, as Tidemark's product list skips them.
     */
    static String sourceDdl(FlinkSqlSessions.Options o, String runId) {
        return "CREATE TABLE clicks (\n"
                + ClickTable.columnsDdl()
                + ",\n"
                + "  `product` AS NULLIF(`productId`, ''),\n"
                + "  WATERMARK FOR `eventTime` AS `eventTime` - "
                + interval(o.boundMs())
                + "\n) WITH (\n"
                + option("connector", "kafka")
                + option("topic", o.input())
                + option("properties.bootstrap.servers", o.bootstrap())
                + option("properties.group.id", "tidemark-bench-sql-" + runId)
                + option("scan.startup.mode", "earliest-offset")
                + (o.follow() ? "" : option("scan.bounded.mode", "latest-offset"))
                + option("format", "avro")
                + lastOption(
                        "avro.timestamp_mapping.legacy",
                        Boolean.toString(ClickTable.LEGACY_TIMESTAMP_MAPPING))
                + ")";
    }

    /**
     * The output: the columns of Tidemark's UserSession in Avro, keyed by the session id (raw
     * UTF-8), stamped with the session's end like Tidemark's, written in Kafka transactions
     * committed on checkpoints (streaming) or at the end (batch).
     */
    static String sinkDdl(FlinkSqlSessions.Options o, String runId) {
        return "CREATE TABLE sessions (\n"
                + "  `sessionId` STRING NOT NULL,\n"
                + "  `userId` STRING NOT NULL,\n"
                + "  `start` TIMESTAMP_LTZ(3) NOT NULL,\n"
                + "  `end` TIMESTAMP_LTZ(3) NOT NULL,\n"
                + "  `durationMs` BIGINT NOT NULL,\n"
                + "  `events` BIGINT NOT NULL,\n"
                + "  `pageViews` BIGINT NOT NULL,\n"
                + "  `productViews` BIGINT NOT NULL,\n"
                + "  `addToCarts` BIGINT NOT NULL,\n"
                + "  `checkouts` BIGINT NOT NULL,\n"
                + "  `products` ARRAY<STRING NOT NULL> NOT NULL,\n"
                + "  `converted` BOOLEAN NOT NULL,\n"
                + "  `ts` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp'\n"
                + ") WITH (\n"
                + option("connector", "kafka")
                + option("topic", o.output())
                + option("properties.bootstrap.servers", o.bootstrap())
                + option("key.format", "raw")
                + option("key.fields", "sessionId")
                + option("value.format", "avro")
                + option(
                        "value.avro.timestamp_mapping.legacy",
                        Boolean.toString(ClickTable.LEGACY_TIMESTAMP_MAPPING))
                + option("value.fields-include", "ALL")
                + option("sink.delivery-guarantee", "exactly-once")
                + option("sink.transactional-id-prefix", "tidemark-bench-sql-" + runId)
                + lastOption("properties.transaction.timeout.ms", "900000")
                + ")";
    }

    /** Streaming: the SESSION window table function, partitioned by user. */
    static String streamingInsert(FlinkSqlSessions.Options o) {
        return insert(
                "FROM TABLE(SESSION(TABLE clicks PARTITION BY `userId`, DESCRIPTOR(`eventTime`), "
                        + interval(o.gapMs())
                        + "))\n"
                        + "  GROUP BY `userId`, window_start, window_end");
    }

    /**
     * Batch: Flink 2.2 has no session window in batch mode (the window table function's SESSION
     * fails with "Unaligned windows like session are not supported in batch mode yet", the group
     * window's with "SessionGroupWindow ... is not supported right now"), so the sessions are
     * numbered the classic SQL way ("gaps and islands"): per user in event-time order, a click
     * starts a session when it is at least {@code G} after the previous one (the same rule as the
     * session windows' merging), and a running sum of those starts numbers the sessions. {@code
     * LAG} does not take {@code TIMESTAMP_LTZ}, hence the casts (to UTC, the session time zone).
     */
    static String batchInsert(FlinkSqlSessions.Options o) {
        return insert(
                "FROM (\n"
                        + "    SELECT *, SUM(`newSession`) OVER (PARTITION BY `userId` ORDER BY"
                        + " `eventTime` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS"
                        + " `sessionNo`\n"
                        + "    FROM (\n"
                        + "      SELECT *, CASE WHEN CAST(`eventTime` AS TIMESTAMP(3)) <"
                        + " LAG(CAST(`eventTime` AS TIMESTAMP(3))) OVER (PARTITION BY `userId`"
                        + " ORDER BY `eventTime`) + "
                        + interval(o.gapMs())
                        + " THEN 0 ELSE 1 END AS `newSession`\n"
                        + "      FROM clicks))\n"
                        + "  GROUP BY `userId`, `sessionNo`");
    }

    /**
     * The session columns over {@code from} (a FROM and GROUP BY clause). Start and end are the
     * first and last event times, not the window bounds (which include the gap); products are the
     * sorted distinct non-empty product ids.
     */
    private static String insert(String from) {
        return "INSERT INTO sessions\n"
                + "SELECT\n"
                + "  `userId` || '@' || DATE_FORMAT(`first`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''')"
                + " AS `sessionId`,\n"
                + "  `userId`,\n"
                + "  `first` AS `start`,\n"
                + "  `last` AS `end`,\n"
                + "  (EXTRACT(EPOCH FROM `last`) - EXTRACT(EPOCH FROM `first`)) * 1000\n"
                + "    + EXTRACT(MILLISECOND FROM `last`) - EXTRACT(MILLISECOND FROM `first`)"
                + " AS `durationMs`,\n"
                + "  `events`,\n"
                + "  CAST(`pageViews` AS BIGINT),\n"
                + "  CAST(`productViews` AS BIGINT),\n"
                + "  CAST(`addToCarts` AS BIGINT),\n"
                + "  CAST(`checkouts` AS BIGINT),\n"
                + "  `products`,\n"
                + "  `checkouts` > 0 AS `converted`,\n"
                + "  `last` AS `ts`\n"
                + "FROM (\n"
                + "  SELECT\n"
                + "    `userId`,\n"
                + "    MIN(`eventTime`) AS `first`,\n"
                + "    MAX(`eventTime`) AS `last`,\n"
                + "    COUNT(*) AS `events`,\n"
                + "    SUM(CASE WHEN `type` = 'PAGE_VIEW' THEN 1 ELSE 0 END) AS `pageViews`,\n"
                + "    SUM(CASE WHEN `type` = 'PRODUCT_VIEW' THEN 1 ELSE 0 END) AS `productViews`,\n"
                + "    SUM(CASE WHEN `type` = 'ADD_TO_CART' THEN 1 ELSE 0 END) AS `addToCarts`,\n"
                + "    SUM(CASE WHEN `type` = 'CHECKOUT' THEN 1 ELSE 0 END) AS `checkouts`,\n"
                // DISTINCT inside ARRAY_AGG would lose IGNORE NULLS in batch mode (Flink 2.2's
                // distinct-aggregate rewrite keeps the nulls): collect, then ARRAY_DISTINCT.
                + "    COALESCE(ARRAY_SORT(ARRAY_DISTINCT(ARRAY_AGG(`product` IGNORE NULLS))),"
                + " ARRAY_REMOVE(ARRAY[''], '')) AS `products`\n"
                + "  "
                + from
                + "\n)";
    }

    /** An interval literal of {@code ms} milliseconds (any length: DAY TO SECOND). */
    static String interval(long ms) {
        long days = ms / 86_400_000;
        long rest = ms % 86_400_000;
        return String.format(
                "INTERVAL '%d %02d:%02d:%02d.%03d' DAY TO SECOND(3)",
                days, rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000);
    }

    private static String option(String key, String value) {
        return "  '" + key + "' = '" + value.replace("'", "''") + "',\n";
    }

    private static String lastOption(String key, String value) {
        return "  '" + key + "' = '" + value.replace("'", "''") + "'\n";
    }
}
