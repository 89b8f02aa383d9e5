package io.tidemark.common.local;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a {@link JsonLinesLoader} wrote.
 *
 * @param topic the topic written to
 * @param recordsPerPartition records written to each partition of the topic, every partition listed
 *     (0 when none)
 */
public record LoadResult(String topic, SortedMap<Integer, Long> recordsPerPartition) {

    public LoadResult {
        recordsPerPartition = Collections.unmodifiableSortedMap(new TreeMap<>(recordsPerPartition));
    }

    public long total() {
        return recordsPerPartition.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code 12 records into clicks (partition 0: 7, partition 1: 5)}. */
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
        return out.append(")").toString();
    }
}
