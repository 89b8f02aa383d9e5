package io.tidemark.jobs.enrichment;

import io.tidemark.common.joins.EnrichmentStage;
import io.tidemark.common.runtime.kafka.OutputSink;
import java.util.ArrayList;
import java.util.List;

/**
 * The enrichment job's operator uids, in one place: part of its public contract, since savepoints
 * map state to uids (renaming one loses that operator's state on upgrade). Uids use the job's fixed
 * name, never the configurable {@code job.name}. Sink names also name the sinks' transactional-id
 * prefixes.
 */
public final class EnrichmentUids {

    private EnrichmentUids() {}

    public static final String JOB = "enrichment";

    public static final String SINK_OUTPUT = "orders-enriched";
    public static final String SINK_LATE = "late";
    public static final String SINK_DLQ = "dlq";

    /**
     * Every operator uid of the job, in topology order: the join stage (ingest of orders, products
     * and customers; customer join, product join, assembly), then the sinks.
     */
    public static List<String> all() {
        List<String> uids = new ArrayList<>(EnrichmentStage.uids(JOB));
        for (String sink : List.of(SINK_OUTPUT, SINK_LATE, SINK_DLQ)) {
            uids.addAll(OutputSink.uids(JOB, sink));
        }
        return List.copyOf(uids);
    }
}
