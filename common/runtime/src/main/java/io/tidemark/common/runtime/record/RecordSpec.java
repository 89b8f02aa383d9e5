package io.tidemark.common.runtime.record;

import java.io.Serializable;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * What the generic ingest path needs to know about one input type: its class, where its event time
 * is, and the job's own field checks. Implementations must be serializable (they ship with the job
 * graph) and pure.
 */
public interface RecordSpec<T extends SpecificRecordBase> extends Serializable {

    Class<T> type();

    /** The record's event time in epoch millis, or null when it has none. */
    Long eventTime(T record);

    /**
     * The job's field checks beyond the generic ones (key present, event time present and within
     * the skew). Returns null when the record is valid, otherwise a message for the DLQ envelope
     * (reason {@code INVALID_FIELD}).
     */
    default String invalidFieldMessage(T record) {
        return null;
    }

    /**
     * All of the job's checks: null when the record is valid, otherwise the reason and message of
     * its DLQ envelope. By default {@link #invalidFieldMessage} as {@code INVALID_FIELD}; a spec
     * that rejects for other reasons (e.g. {@code AMOUNT_OVERFLOW}) overrides this. Must depend on
     * the record alone, so the same record is judged the same way in every run.
     */
    default Rejection rejection(T record) {
        String invalid = invalidFieldMessage(record);
        return invalid == null ? null : Rejection.invalidField(invalid);
    }
}
