package io.tidemark.jobs.revenue;

/**
 * Names that are part of the revenue job's contract. The reused enrichment stage adds {@code
 * revenue.join-customer}, {@code revenue.join-product}, {@code revenue.assemble} and the ingest
 * uids {@code revenue.<stage>.<input>}.
 */
public final class Uids {

    private Uids() {}

    public static final String JOB = "revenue";
    public static final String CONTRIBUTIONS = JOB + ".contributions";
    public static final String WINDOWS = JOB + ".windows";
    public static final String ROLLUP = JOB + ".rollup";
    public static final String SINK_WINDOWS = "revenue-1m";
    public static final String SINK_ROLLUP = "revenue-1h";
    public static final String SINK_LATE = "late";
    public static final String SINK_DLQ = "dlq";
}
