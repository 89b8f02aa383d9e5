package io.tidemark.common.local;

import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A JSON line the {@link JsonLinesLoader} cannot write as a record.
 *
 * @param source the file (or other source) the line came from
 * @param line its 1-based line number
 * @param text the line exactly as read
 * @param reason {@link ReasonCode#DESERIALIZATION_FAILED} when the line is not a JSON object,
 *     {@link ReasonCode#INVALID_FIELD} when it is one that does not fit its record type or has a
 *     bad control field
 * @param error what is wrong, without the location
 * @param timestamp the Kafka timestamp the line would have had (its own, or the default)
 * @param eventTime the line's event time when it could be read, else null
 */
public record BadLine(
        String source,
        int line,
        String text,
        ReasonCode reason,
        String error,
        long timestamp,
        Long eventTime) {

    /** The job name in the envelopes of bad lines. */
    public static final String JOB = "load";

    /** {@code clicks.jsonl:7}. */
    public String location() {
        return source + ":" + line;
    }

    /** {@code clicks.jsonl:7: <error>}. */
    public String message() {
        return location() + ": " + error;
    }

    /**
     * The DLQ envelope of this line: the line's bytes as {@code value}, no key, the target {@code
     * topic}, partition and offset -1 (it never reached the topic), {@code job} {@value #JOB}, the
     * located error as {@code message}.
     */
    public ErrorEnvelope envelope(String topic) {
        return ErrorEnvelope.newBuilder()
                .setKey(null)
                .setValue(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)))
                .setTopic(topic)
                .setPartition(-1)
                .setOffset(-1L)
                .setReasonCode(reason)
                .setMessage(message())
                .setJob(JOB)
                .setRecordTimestamp(Instant.ofEpochMilli(Math.max(0, timestamp)))
                .setEventTime(eventTime == null ? null : Instant.ofEpochMilli(eventTime))
                .build();
    }
}
