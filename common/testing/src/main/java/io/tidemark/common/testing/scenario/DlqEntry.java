package io.tidemark.common.testing.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.ReasonCode;
import java.util.Comparator;

/**
 * An error envelope (DLQ or late topic) reduced to what a test can state by hand: where the
 * rejected record lived and why ({@code reason}: the name of a {@link ReasonCode}). The message and
 * the base64 bytes of the envelope are left out.
 */
public record DlqEntry(Position position, String reason) implements Comparable<DlqEntry> {

    private static final Comparator<DlqEntry> ORDER =
            Comparator.comparing(DlqEntry::position).thenComparing(DlqEntry::reason);

    /** An entry whose reason is a {@link ReasonCode}. */
    public DlqEntry(Position position, ReasonCode reason) {
        this(position, reason.name());
    }

    /** An entry of a job with a single input topic. */
    public DlqEntry(int partition, long offset, ReasonCode reason) {
        this(new Position(partition, offset), reason);
    }

    /** The reason as the enum; fails when it names none. */
    public ReasonCode reasonCode() {
        return ReasonCode.valueOf(reason);
    }

    /**
     * Canonical {@code {"offset":…,"partition":…,"reasonCode":…}}, with {@code "topic"} as well
     * when the position names one: the form of the {@code expected-late.jsonl} and {@code
     * expected-dlq.jsonl} lines of the sample scenarios.
     */
    public String canonical() {
        ObjectNode node = AvroJson.MAPPER.createObjectNode();
        node.put("offset", position.offset());
        node.put("partition", position.partition());
        node.put("reasonCode", reason);
        if (position.topic() != null) {
            node.put("topic", position.topic());
        }
        return AvroJson.canonical(node);
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
