package io.tidemark.jobs.sessionization.reference;

import io.tidemark.common.testing.scenario.DlqEntry;
import io.tidemark.common.testing.scenario.EnvelopeReader;
import io.tidemark.common.testing.scenario.Position;
import java.util.List;
import java.util.SortedSet;

/**
 * Reads the canonical error-envelope lines a replay returns (late topic, DLQ) back into positions,
 * so that they compare with the reference model as sets, independent of message texts. The job
 * reads one topic, so positions are partition@offset; an envelope there twice fails the read.
 * Delegates to the shared {@link EnvelopeReader}.
 */
public final class Envelopes {

    private static final EnvelopeReader READER = EnvelopeReader.withoutTopics().failingOnRepeats();

    private Envelopes() {}

    /** Positions of the late envelopes; fails if any has a reason other than {@code LATE}. */
    public static SortedSet<Position> latePositions(List<String> envelopeLines) {
        return READER.latePositions(envelopeLines);
    }

    /** (partition, offset, reason) of each envelope. */
    public static SortedSet<DlqEntry> entries(List<String> envelopeLines) {
        return READER.entries(envelopeLines);
    }
}
