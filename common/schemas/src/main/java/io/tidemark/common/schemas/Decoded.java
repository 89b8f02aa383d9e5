package io.tidemark.common.schemas;

import java.util.Objects;

/**
 * The outcome of decoding one Kafka value: the expected record, a heartbeat, or the reason it could
 * not be read. Decoding never throws, because bad input must reach the DLQ, not stop a job.
 */
public final class Decoded<T> {

    /** What the bytes turned out to be. */
    public enum Kind {
        RECORD,
        HEARTBEAT,
        SCHEMA_MISMATCH,
        DESERIALIZATION_FAILED
    }

    private final Kind kind;
    private final T record;
    private final Heartbeat heartbeat;
    private final String message;

    private Decoded(Kind kind, T record, Heartbeat heartbeat, String message) {
        this.kind = kind;
        this.record = record;
        this.heartbeat = heartbeat;
        this.message = message;
    }

    public static <T> Decoded<T> record(T record) {
        return new Decoded<>(Kind.RECORD, Objects.requireNonNull(record), null, null);
    }

    public static <T> Decoded<T> heartbeat(Heartbeat heartbeat) {
        return new Decoded<>(Kind.HEARTBEAT, null, Objects.requireNonNull(heartbeat), null);
    }

    public static <T> Decoded<T> failure(ReasonCode reason, String message) {
        Kind kind =
                reason == ReasonCode.SCHEMA_MISMATCH
                        ? Kind.SCHEMA_MISMATCH
                        : Kind.DESERIALIZATION_FAILED;
        return new Decoded<>(kind, null, null, message);
    }

    public Kind kind() {
        return kind;
    }

    public boolean isFailure() {
        return kind == Kind.SCHEMA_MISMATCH || kind == Kind.DESERIALIZATION_FAILED;
    }

    /** The reason code of a failure; throws for a record or heartbeat. */
    public ReasonCode reason() {
        switch (kind) {
            case SCHEMA_MISMATCH:
                return ReasonCode.SCHEMA_MISMATCH;
            case DESERIALIZATION_FAILED:
                return ReasonCode.DESERIALIZATION_FAILED;
            default:
                throw new IllegalStateException("not a failure: " + kind);
        }
    }

    public T record() {
        return record;
    }

    public Heartbeat heartbeat() {
        return heartbeat;
    }

    public String message() {
        return message;
    }
}
