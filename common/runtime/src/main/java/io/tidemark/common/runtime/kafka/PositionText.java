package io.tidemark.common.runtime.kafka;

import io.tidemark.common.runtime.config.InvalidConfigException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * How {@code source.start} and {@code source.stop} are written: a keyword (the name of a kind,
 * case-insensitive) or an ISO-8601 instant. A value that is neither fails naming the key and what
 * it accepts.
 */
final class PositionText {

    /** A parsed position: its kind, and the instant for the timestamp kind (else null). */
    record Parsed<K extends Enum<K>>(K kind, Instant at) {}

    private PositionText() {}

    static <K extends Enum<K>> Parsed<K> parse(
            String key, String text, Class<K> kinds, K timestampKind, String accepted) {
        String value = text.strip();
        for (K kind : kinds.getEnumConstants()) {
            if (kind != timestampKind && kind.name().equalsIgnoreCase(value)) {
                return new Parsed<>(kind, null);
            }
        }
        try {
            return new Parsed<>(timestampKind, Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + text
                            + "' for configuration key '"
                            + key
                            + "': expected "
                            + accepted);
        }
    }
}
