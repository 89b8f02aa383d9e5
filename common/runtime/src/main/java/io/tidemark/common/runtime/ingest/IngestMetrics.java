package io.tidemark.common.runtime.ingest;

/**
 * Names of the metrics the ingest stage registers under the {@code tidemark} group of each subtask:
 * dashboards and the CLI's progress reporting read them by these names.
 */
public final class IngestMetrics {

    private IngestMetrics() {}

    /** The metric group every Tidemark metric is registered under. */
    public static final String GROUP = "tidemark";

    /** Counter: records read from the source, good and bad. */
    public static final String READ = "read";

    /** Gauge: the largest valid event time seen (progress only, never part of a result). */
    public static final String MAX_EVENT_TIME = "maxEventTime";

    /** Subgroup of the per-reason DLQ counters ({@code tidemark.dlq.<REASON>}). */
    public static final String DLQ = "dlq";
}
