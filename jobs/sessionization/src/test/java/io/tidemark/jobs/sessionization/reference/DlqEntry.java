package io.tidemark.jobs.sessionization.reference;

import io.tidemark.common.schemas.ReasonCode;
import java.util.Comparator;

/** A record that the validation rules send to the DLQ: where it lives and why. */
public record DlqEntry(Position position, ReasonCode reason) implements Comparable<DlqEntry> {

    private static final Comparator<DlqEntry> ORDER =
            Comparator.comparing(DlqEntry::position).thenComparing(DlqEntry::reason);

    public DlqEntry(int partition, long offset, ReasonCode reason) {
        this(new Position(partition, offset), reason);
    }

    @Override
    public int compareTo(DlqEntry other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return position + ":" + reason;
    }
}
