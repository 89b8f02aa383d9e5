package io.tidemark.common.runtime.record;

import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the error envelope that carries a rejected record to the DLQ or late topic. */
public final class ErrorEnvelopes {

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

    /** The deterministic Kafka key of an envelope: where the original record lives. */
    public static String key(ErrorEnvelope envelope) {
        return envelope.getTopic() + "/" + envelope.getPartition() + "/" + envelope.getOffset();
    }
}
