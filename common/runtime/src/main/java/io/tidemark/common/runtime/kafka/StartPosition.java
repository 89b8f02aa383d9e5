package io.tidemark.common.runtime.kafka;

import java.io.Serializable;
import java.time.Instant;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Where a source starts reading: {@code earliest | latest | committed | <ISO-8601 instant>}. */
public record StartPosition(Kind kind, Instant at) implements Serializable {

    /** The kinds of start position. */
    public enum Kind {
        EARLIEST,
        LATEST,
        COMMITTED,
        TIMESTAMP
    }

    static final String ACCEPTED =
            "earliest, latest, committed, or an ISO-8601 instant such as 2026-11-01T00:00:00Z";

    public static StartPosition parse(String key, String text) {
        PositionText.Parsed<Kind> parsed =
                PositionText.parse(key, text, Kind.class, Kind.TIMESTAMP, ACCEPTED);
        return new StartPosition(parsed.kind(), parsed.at());
    }

    public OffsetsInitializer toOffsetsInitializer() {
        return switch (kind) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            // A group without committed offsets starts from the beginning rather than failing.
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case TIMESTAMP -> OffsetsInitializer.timestamp(at.toEpochMilli());
        };
    }
}
