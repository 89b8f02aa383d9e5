package io.tidemark.jobs.sessionization.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.ReasonCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads the canonical error-envelope lines a replay returns (late topic, DLQ) back into positions,
 * so that they compare with the reference model as sets, independent of message texts.
 */
public final class Envelopes {

    private Envelopes() {}

    /** Positions of the late envelopes; fails if any has a reason other than {@code LATE}. */
    public static SortedSet<Position> latePositions(List<String> envelopeLines) {
        SortedSet<Position> positions = new TreeSet<>();
        for (DlqEntry entry : entries(envelopeLines)) {
            if (entry.reason() != ReasonCode.LATE) {
                throw new IllegalArgumentException("late envelope with reason " + entry);
            }
            positions.add(entry.position());
        }
        return positions;
    }

    /** (partition, offset, reason) of each envelope. */
    public static SortedSet<DlqEntry> entries(List<String> envelopeLines) {
        SortedSet<DlqEntry> entries = new TreeSet<>();
        for (String line : envelopeLines) {
            JsonNode node = parse(line);
            DlqEntry entry =
                    new DlqEntry(
                            node.get("partition").intValue(),
                            node.get("offset").longValue(),
                            ReasonCode.valueOf(node.get("reasonCode").textValue()));
            if (!entries.add(entry)) {
                throw new IllegalArgumentException("envelope twice: " + entry);
            }
        }
        return entries;
    }

    private static JsonNode parse(String line) {
        try {
            return AvroJson.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
