package io.tidemark.jobs.sessionization;

/**
 * Operator uids of the sessionization job: part of its public contract (savepoints map state to
 * them). Renaming one loses that operator's state on upgrade.
 */
public final class Uids {

    private Uids() {}

    public static final String JOB = "sessionization";

    /** The input's short name: ingest-stage uids are {@code sessionization.<stage>.clicks}. */
    public static final String INPUT = "clicks";

    public static final String PAYLOAD = JOB + ".payload";
    public static final String DEDUP = JOB + ".dedup";
    public static final String SESSIONS = JOB + ".sessions";
    public static final String SINK_SESSIONS = "user-sessions";
    public static final String SINK_LATE = "late";
    public static final String SINK_DLQ = "dlq";
}
