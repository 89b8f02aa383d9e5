package io.tidemark.jobs.enrichment.reference;

import java.util.Comparator;

/** A record the DLQ must hold: where it came from and why it was rejected. */
public record DlqEntry(Position position, String reason) implements Comparable<DlqEntry> {

    private static final Comparator<DlqEntry> ORDER =
            Comparator.comparing(DlqEntry::position).thenComparing(DlqEntry::reason);

    @Override
    public int compareTo(DlqEntry other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return position + " " + reason;
    }
}
