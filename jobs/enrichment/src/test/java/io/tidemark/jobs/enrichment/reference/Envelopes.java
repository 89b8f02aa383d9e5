package io.tidemark.jobs.enrichment.reference;

import io.tidemark.common.testing.scenario.DlqEntry;
import io.tidemark.common.testing.scenario.EnvelopeReader;
import io.tidemark.common.testing.scenario.Position;
import java.util.List;
import java.util.SortedSet;

/**
 * Reads committed error envelopes (canonical JSON lines) back into positions and reasons; the job
 * reads three topics, so positions name the topic. Delegates to the shared {@link EnvelopeReader}.
 */
public final class Envelopes {

    private static final EnvelopeReader READER = EnvelopeReader.withTopics();

    private Envelopes() {}

    /** The source positions of late envelopes; fails when one is not a LATE envelope. */
    public static SortedSet<Position> latePositions(List<String> envelopeLines) {
        return READER.latePositions(envelopeLines);
    }

    /** Position and reason code of every envelope. */
    public static SortedSet<DlqEntry> entries(List<String> envelopeLines) {
        return READER.entries(envelopeLines);
    }
}
