package io.tidemark.jobs.enrichment;

/**
 * Names that are part of the enrichment job's contract: uids are {@code enrichment.<stage>} (see
 * {@code EnrichmentStage}) and sink names give the sinks' uids and transactional-id prefixes.
 */
public final class Uids {

    private Uids() {}

    public static final String JOB = "enrichment";
    public static final String SINK_OUTPUT = "orders-enriched";
    public static final String SINK_LATE = "late";
    public static final String SINK_DLQ = "dlq";
}
