package io.tidemark.common.testing.scenario;

import java.util.Comparator;

/**
 * Where a source record lives: topic, partition, offset. Jobs that read a single topic leave the
 * topic out ({@code null}): their positions are partition and offset only.
 */
public record Position(String topic, int partition, long offset) implements Comparable<Position> {

    private static final Comparator<Position> ORDER =
            Comparator.comparing(Position::topic, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparingInt(Position::partition)
                    .thenComparingLong(Position::offset);

    /** A position in the single input topic of a job: partition and offset only. */
    public Position(int partition, long offset) {
        this(null, partition, offset);
    }

    @Override
    public int compareTo(Position other) {
        return ORDER.compare(this, other);
    }

    /** {@code topic/partition/offset}, or {@code partition@offset} without a topic. */
    @Override
    public String toString() {
        return topic == null ? partition + "@" + offset : topic + "/" + partition + "/" + offset;
    }
}
