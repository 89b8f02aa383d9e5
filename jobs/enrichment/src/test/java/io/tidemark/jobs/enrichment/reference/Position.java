package io.tidemark.jobs.enrichment.reference;

import java.util.Comparator;

/** Where a source record lives: topic, partition, offset. */
public record Position(String topic, int partition, long offset) implements Comparable<Position> {

    private static final Comparator<Position> ORDER =
            Comparator.comparing(Position::topic)
                    .thenComparingInt(Position::partition)
                    .thenComparingLong(Position::offset);

    @Override
    public int compareTo(Position other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return topic + "/" + partition + "/" + offset;
    }
}
