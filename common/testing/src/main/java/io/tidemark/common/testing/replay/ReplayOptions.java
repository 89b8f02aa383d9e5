package io.tidemark.common.testing.replay;

import io.tidemark.common.runtime.config.ExecutionMode;
import java.util.Map;

/**
 * How a replay runs the job.
 *
 * @param partitions partitions of every input topic ({@code _partition} in the input is honoured)
 * @param parallelism job parallelism
 * @param mode STREAMING (bounded at the offsets latest at start) or BATCH
 * @param overrides extra {@code key=value} configuration, as {@code --set} gives it
 */
public record ReplayOptions(
        int partitions, int parallelism, ExecutionMode mode, Map<String, String> overrides) {

    public ReplayOptions {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be >= 1, was " + partitions);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be >= 1, was " + parallelism);
        }
        overrides = Map.copyOf(overrides);
    }

    public static ReplayOptions defaults() {
        return new ReplayOptions(2, 2, ExecutionMode.STREAMING, Map.of());
    }

    public ReplayOptions withPartitions(int n) {
        return new ReplayOptions(n, parallelism, mode, overrides);
    }

    public ReplayOptions withParallelism(int p) {
        return new ReplayOptions(partitions, p, mode, overrides);
    }

    public ReplayOptions withMode(ExecutionMode m) {
        return new ReplayOptions(partitions, parallelism, m, overrides);
    }
}
