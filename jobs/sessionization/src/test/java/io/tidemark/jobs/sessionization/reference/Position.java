package io.tidemark.jobs.sessionization.reference;

/** Where a source record lives: its partition and its offset within that partition. */
public record Position(int partition, long offset) implements Comparable<Position> {

    @Override
    public int compareTo(Position other) {
        int byPartition = Integer.compare(partition, other.partition);
        return byPartition != 0 ? byPartition : Long.compare(offset, other.offset);
    }

    @Override
    public String toString() {
        return partition + "@" + offset;
    }
}
