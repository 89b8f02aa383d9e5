package io.tidemark.common.runtime.kafka;

import io.tidemark.common.runtime.config.InvalidConfigException;
import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
        switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "earliest":
                return new StartPosition(Kind.EARLIEST, null);
            case "latest":
                return new StartPosition(Kind.LATEST, null);
            case "committed":
                return new StartPosition(Kind.COMMITTED, null);
            default:
                try {
                    return new StartPosition(Kind.TIMESTAMP, Instant.parse(text.strip()));
                } catch (DateTimeParseException e) {
                    throw new InvalidConfigException(
                            "Invalid value '"
                                    + text
                                    + "' for configuration key '"
                                    + key
                                    + "': expected "
                                    + ACCEPTED);
                }
        }
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
