package io.tidemark.jobs.revenue;

import io.tidemark.common.joins.EnrichmentStage;
import io.tidemark.common.runtime.kafka.OutputSink;
import java.util.ArrayList;
import java.util.List;

/**
 * The revenue job's operator uids, in one place: part of its public contract, since savepoints map
 * state to uids (renaming one loses that operator's state on upgrade). The reused join stage adds
 * its own under this job's name ({@code revenue.join-customer}, {@code revenue.lateness.orders},
 * …), so the two jobs never share state. Sink names also name the sinks' transactional-id prefixes.
 */
public final class RevenueUids {

    private RevenueUids() {}

    public static final String JOB = "revenue";

    public static final String CONTRIBUTIONS = JOB + ".contributions";
    public static final String WINDOWS = JOB + ".windows";
    public static final String ROLLUP = JOB + ".rollup";

    public static final String SINK_WINDOWS = "revenue-1m";
    public static final String SINK_ROLLUP = "revenue-1h";
    public static final String SINK_LATE = "late";
    public static final String SINK_DLQ = "dlq";

    /** Every operator uid of the job, in topology order: join stage, windows, rollup, sinks. */
    public static List<String> all() {
        List<String> uids = new ArrayList<>(EnrichmentStage.uids(JOB));
        uids.addAll(List.of(CONTRIBUTIONS, WINDOWS, ROLLUP));
        for (String sink : List.of(SINK_WINDOWS, SINK_ROLLUP, SINK_LATE, SINK_DLQ)) {
            uids.addAll(OutputSink.uids(JOB, sink));
        }
        return List.copyOf(uids);
    }
}
