package io.tidemark.common.runtime.record;

import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Builds the error envelope that carries a rejected record to the DLQ or late topic. */
public final class ErrorEnvelopes {

    /**
     * Partition and offset of an envelope whose record was not read from a source partition: a
     * result that a sink (the PostgreSQL read model) rejected.
     */
    public static final int NO_POSITION = -1;

    private ErrorEnvelopes() {}

    public static ErrorEnvelope of(
            InputRecord<?> in, ReasonCode reason, String message, String job) {
        return ErrorEnvelope.newBuilder()
                .setKey(in.key == null ? null : ByteBuffer.wrap(in.key))
                .setValue(in.value == null ? null : ByteBuffer.wrap(in.value))
                .setTopic(in.topic)
                .setPartition(in.partition)
                .setOffset(in.offset)
                .setReasonCode(reason)
                .setMessage(message == null ? reason.name() : message)
                .setJob(job)
                .setRecordTimestamp(Instant.ofEpochMilli(Math.max(0, in.recordTimestamp)))
                .setEventTime(in.eventTime == null ? null : Instant.ofEpochMilli(in.eventTime))
                .build();
    }

    /** The envelope of a record that failed decoding or validation. */
    public static ErrorEnvelope ofBad(InputRecord<?> in, String job) {
        return of(in, in.reason, in.message, job);
    }

    /**
     * The deterministic Kafka key of an envelope: where the original record lives ({@code
     * topic/partition/offset}), or for a result a sink rejected ({@link #NO_POSITION}), the output
     * topic and the result's key ({@code topic/key}).
     */
    public static String key(ErrorEnvelope envelope) {
        if (envelope.getPartition() == NO_POSITION && envelope.getKey() != null) {
            ByteBuffer key = envelope.getKey().duplicate();
            byte[] bytes = new byte[key.remaining()];
            key.get(bytes);
            return envelope.getTopic() + "/" + new String(bytes, StandardCharsets.UTF_8);
        }
        return envelope.getTopic() + "/" + envelope.getPartition() + "/" + envelope.getOffset();
    }
}
