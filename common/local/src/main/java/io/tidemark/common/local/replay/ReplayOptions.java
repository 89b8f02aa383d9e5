package io.tidemark.common.local.replay;

import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.ingest.InputTap;
import java.util.Map;
import java.util.Objects;

/**
 * How a replay runs the job.
 *
 * @param partitions partitions of every input topic ({@code _partition} in the input is honoured)
 * @param parallelism job parallelism
 * @param mode STREAMING (bounded at the offsets latest at start) or BATCH
 * @param overrides extra {@code key=value} configuration, as {@code --set} gives it
 * @param tap what is inserted after each source ({@link InputTap#NONE}, or a {@code
 *     FailureInjection})
 */
public record ReplayOptions(
        int partitions,
        int parallelism,
        ExecutionMode mode,
        Map<String, String> overrides,
        InputTap tap) {

    public ReplayOptions(
            int partitions, int parallelism, ExecutionMode mode, Map<String, String> overrides) {
        this(partitions, parallelism, mode, overrides, InputTap.NONE);
    }

    public ReplayOptions {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be >= 1, was " + partitions);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be >= 1, was " + parallelism);
        }
        overrides = Map.copyOf(overrides);
        tap = Objects.requireNonNull(tap, "tap");
    }

    public static ReplayOptions defaults() {
        return new ReplayOptions(2, 2, ExecutionMode.STREAMING, Map.of());
    }

    public ReplayOptions withPartitions(int n) {
        return new ReplayOptions(n, parallelism, mode, overrides, tap);
    }

    public ReplayOptions withParallelism(int p) {
        return new ReplayOptions(partitions, p, mode, overrides, tap);
    }

    public ReplayOptions withMode(ExecutionMode m) {
        return new ReplayOptions(partitions, parallelism, m, overrides, tap);
    }

    public ReplayOptions withOverrides(Map<String, String> o) {
        return new ReplayOptions(partitions, parallelism, mode, o, tap);
    }

    public ReplayOptions withTap(InputTap t) {
        return new ReplayOptions(partitions, parallelism, mode, overrides, t);
    }
}
