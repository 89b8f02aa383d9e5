package io.tidemark.jobs.enrichment.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.schemas.AvroJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Reads committed error envelopes (canonical JSON lines) back into positions and reasons. */
public final class Envelopes {

    private Envelopes() {}

    /** The source positions of late envelopes; fails when one is not a LATE envelope. */
    public static SortedSet<Position> latePositions(List<String> envelopeLines) {
        SortedSet<Position> positions = new TreeSet<>();
        for (DlqEntry entry : entries(envelopeLines)) {
            if (!"LATE".equals(entry.reason())) {
                throw new IllegalStateException("late topic holds " + entry);
            }
            positions.add(entry.position());
        }
        return positions;
    }

    /** Position and reason code of every envelope. */
    public static SortedSet<DlqEntry> entries(List<String> envelopeLines) {
        SortedSet<DlqEntry> entries = new TreeSet<>();
        for (String line : envelopeLines) {
            JsonNode node = parse(line);
            entries.add(
                    new DlqEntry(
                            new Position(
                                    node.get("topic").asText(),
                                    node.get("partition").asInt(),
                                    node.get("offset").asLong()),
                            node.get("reasonCode").asText()));
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
