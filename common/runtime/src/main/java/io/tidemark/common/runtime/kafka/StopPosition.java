package io.tidemark.common.runtime.kafka;

import java.io.Serializable;
import java.time.Instant;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/**
 * Where a bounded source stops: {@code none} (unbounded), {@code latest} (the offsets that were
 * latest when the job started) or an ISO-8601 instant (before the first record whose timestamp is
 * at or after it).
 */
public record StopPosition(Kind kind, Instant at) implements Serializable {

    /** The kinds of stop position. */
    public enum Kind {
        NONE,
        LATEST,
        TIMESTAMP
    }

    static final String ACCEPTED =
            "none, latest, or an ISO-8601 instant such as 2026-11-02T00:00:00Z";

    public static StopPosition parse(String key, String text) {
        PositionText.Parsed<Kind> parsed =
                PositionText.parse(key, text, Kind.class, Kind.TIMESTAMP, ACCEPTED);
        return new StopPosition(parsed.kind(), parsed.at());
    }

    public boolean isBounded() {
        return kind != Kind.NONE;
    }

    /** The stopping offsets, or null when unbounded. */
    public OffsetsInitializer toOffsetsInitializer() {
        return switch (kind) {
            case NONE -> null;
            case LATEST -> OffsetsInitializer.latest();
            case TIMESTAMP -> OffsetsInitializer.timestamp(at.toEpochMilli());
        };
    }
}
