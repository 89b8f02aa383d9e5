package io.tidemark.common.testing.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.schemas.ReasonCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads canonical error-envelope lines (what a replay returns for the late topic and the DLQ, or
 * the hand-written {@code expected-late.jsonl} / {@code expected-dlq.jsonl} lines) back into {@link
 * DlqEntry entries}, so that they compare with an expectation independent of message texts.
 *
 * <p>{@link #withTopics()} keeps the source topic in each position (jobs reading several topics);
 * {@link #withoutTopics()} leaves it out (jobs reading one topic, whose expectations name only
 * partition and offset).
 */
public final class EnvelopeReader {

    private final boolean topics;
    private final boolean failOnRepeats;

    private EnvelopeReader(boolean topics, boolean failOnRepeats) {
        this.topics = topics;
        this.failOnRepeats = failOnRepeats;
    }

    /** Positions are topic, partition and offset; every line must have a {@code topic}. */
    public static EnvelopeReader withTopics() {
        return new EnvelopeReader(true, false);
    }

    /** Positions are partition and offset; a {@code topic} field is ignored. */
    public static EnvelopeReader withoutTopics() {
        return new EnvelopeReader(false, false);
    }

    /** The same reader, but {@link #entries} fails when one envelope is there twice. */
    public EnvelopeReader failingOnRepeats() {
        return new EnvelopeReader(topics, true);
    }

    /** The entry of one line. */
    public DlqEntry entry(String line) {
        JsonNode node = SampleScenarios.json(line);
        int partition = node.get("partition").asInt();
        long offset = node.get("offset").asLong();
        Position position =
                topics
                        ? new Position(node.get("topic").asText(), partition, offset)
                        : new Position(partition, offset);
        return new DlqEntry(position, node.get("reasonCode").asText());
    }

    /** The entries of the lines as a set; see {@link #failingOnRepeats()}. */
    public SortedSet<DlqEntry> entries(List<String> envelopeLines) {
        SortedSet<DlqEntry> entries = new TreeSet<>();
        for (String line : envelopeLines) {
            DlqEntry entry = entry(line);
            if (!entries.add(entry) && failOnRepeats) {
                throw new IllegalArgumentException("envelope twice: " + entry);
            }
        }
        return entries;
    }

    /** Positions of late envelopes; fails if any has a reason other than {@code LATE}. */
    public SortedSet<Position> latePositions(List<String> envelopeLines) {
        SortedSet<Position> positions = new TreeSet<>();
        for (DlqEntry entry : entries(envelopeLines)) {
            if (!ReasonCode.LATE.name().equals(entry.reason())) {
                throw new IllegalArgumentException("late envelope with reason " + entry);
            }
            positions.add(entry.position());
        }
        return positions;
    }

    /**
     * Each line reduced to its {@link DlqEntry#canonical() canonical entry}, sorted by position
     * (stable: entries at one position keep their order). Repeats are kept, so a list of envelopes
     * compares line by line with a list of expected lines.
     */
    public List<String> canonicalSorted(List<String> lines) {
        List<DlqEntry> entries = new ArrayList<>();
        for (String line : lines) {
            entries.add(entry(line));
        }
        return entries.stream()
                .sorted(Comparator.comparing(DlqEntry::position))
                .map(DlqEntry::canonical)
                .toList();
    }
}
