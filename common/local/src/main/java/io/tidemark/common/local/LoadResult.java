package io.tidemark.common.local;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a {@link JsonLinesLoader} wrote.
 *
 * @param topic the topic written to
 * @param recordsPerPartition records written to each partition of the topic, every partition listed
 *     (0 when none)
 * @param dlqTopic where the bad lines went, null when there were none
 * @param badLines the lines written to {@code dlqTopic} instead, in file order
 */
public record LoadResult(
        String topic,
        SortedMap<Integer, Long> recordsPerPartition,
        String dlqTopic,
        List<BadLine> badLines) {

    public LoadResult {
        recordsPerPartition = Collections.unmodifiableSortedMap(new TreeMap<>(recordsPerPartition));
        badLines = List.copyOf(badLines);
    }

    /** A load without bad lines. */
    public LoadResult(String topic, SortedMap<Integer, Long> recordsPerPartition) {
        this(topic, recordsPerPartition, null, List.of());
    }

    public long total() {
        return recordsPerPartition.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * {@code 12 records into clicks (partition 0: 7, partition 1: 5)}, plus {@code ; 2 bad lines
     * into clicks-dlq} when some went to the DLQ.
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        out.append(total()).append(" records into ").append(topic).append(" (");
        String separator = "";
        for (var entry : recordsPerPartition.entrySet()) {
            out.append(separator)
                    .append("partition ")
                    .append(entry.getKey())
                    .append(": ")
                    .append(entry.getValue());
            separator = ", ";
        }
        out.append(")");
        if (!badLines.isEmpty()) {
            out.append("; ")
                    .append(badLines.size())
                    .append(badLines.size() == 1 ? " bad line" : " bad lines")
                    .append(" into ")
                    .append(dlqTopic);
        }
        return out.toString();
    }
}
