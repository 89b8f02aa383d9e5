package io.tidemark.jobs.sessionization;

import io.tidemark.common.runtime.ingest.IngestStage;
import io.tidemark.common.runtime.kafka.OutputSink;
import java.util.ArrayList;
import java.util.List;

/**
 * The sessionization job's operator uids, in one place: part of its public contract, since
 * savepoints map state to uids (renaming one loses that operator's state on upgrade). Uids use the
 * job's fixed name, never the configurable {@code job.name}. Sink names also name the sinks'
 * transactional-id prefixes.
 */
public final class SessionizationUids {

    private SessionizationUids() {}

    public static final String JOB = "sessionization";

    /** The input's short name: ingest-stage uids are {@code sessionization.<stage>.clicks}. */
    public static final String INPUT = "clicks";

    public static final String PAYLOAD = JOB + ".payload";
    public static final String DEDUP = JOB + ".dedup";
    public static final String SESSIONS = JOB + ".sessions";

    public static final String SINK_SESSIONS = "user-sessions";
    public static final String SINK_LATE = "late";
    public static final String SINK_DLQ = "dlq";

    /** Every operator uid of the job, in topology order: ingest, dedup, sessions, sinks. */
    public static List<String> all() {
        List<String> uids = new ArrayList<>(IngestStage.uids(JOB, INPUT));
        uids.addAll(List.of(PAYLOAD, DEDUP, SESSIONS));
        for (String sink : List.of(SINK_SESSIONS, SINK_LATE, SINK_DLQ)) {
            uids.addAll(OutputSink.uids(JOB, sink));
        }
        return List.copyOf(uids);
    }
}
