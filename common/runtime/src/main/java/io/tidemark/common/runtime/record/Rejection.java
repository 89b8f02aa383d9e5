package io.tidemark.common.runtime.record;

import io.tidemark.common.schemas.ReasonCode;
import java.io.Serializable;
import java.util.Objects;

/**
 * Why a job's own checks reject a record: the reason code of its DLQ envelope and the message.
 *
 * @param reason e.g. {@code INVALID_FIELD} or {@code AMOUNT_OVERFLOW}
 * @param message names the field and the value, for the envelope
 */
public record Rejection(ReasonCode reason, String message) implements Serializable {

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    public static Rejection invalidField(String message) {
        return new Rejection(ReasonCode.INVALID_FIELD, message);
    }
}
