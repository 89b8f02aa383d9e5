package io.tidemark.common.runtime.record;

/** What an input record turned out to be after decoding and validation. */
public enum RecordKind {
    /** A valid record of the topic's type; its event time is known. */
    DATA,
    /** A heartbeat: advances its partition's event time, then is dropped. */
    HEARTBEAT,
    /** Failed decoding or validation; goes to the DLQ and never advances the watermark. */
    BAD
}
