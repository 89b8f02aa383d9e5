package io.tidemark.common.local;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition Kafka's default partitioner picks for a keyed record, computed explicitly so that
 * generators, the loader and reference models all agree on it without asking a producer.
 */
public final class KeyPartitioner {

    private KeyPartitioner() {}

    /**
     * {@code toPositive(murmur2(utf8(key))) % partitions}; a null key goes to partition 0 (the
     * producer's sticky partitioner would pick one by timing, which is not deterministic).
     */
    public static int partitionFor(String key, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        if (key == null) {
            return 0;
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
