package io.tidemark.common.runtime.eventtime;

import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.config.InvalidConfigException;
import io.tidemark.common.runtime.config.TidemarkOptions;
import io.tidemark.common.runtime.kafka.StopPosition;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;

/**
 * Watermark alignment of a job's sources ({@link WatermarkStrategy#withWatermarkAlignment}): a
 * source whose watermark runs more than {@code maxDrift} ahead of the slowest source of its group
 * pauses reading until the others catch up; inside a Kafka source the same holds per partition
 * (split-level alignment). Without it, a fast input (orders) read far ahead of a slow or quiet one
 * (a changelog partition) piles up pending join state that only the slow input's progress can
 * release.
 *
 * <p>Alignment never changes results: it decides only <em>when</em> records are read, never which
 * records are read or in what order within a partition. Lateness is decided from the data per
 * partition (DESIGN.md §1) and windows and joins fire on the watermark, the minimum over all
 * partitions, which alignment cannot move. The price is throughput while catching up: the group's
 * watermark advances by at most {@code maxDrift} per {@code updateInterval}.
 *
 * <p>It applies to unbounded STREAMING runs only. Bounded runs (replays, backfills) read a fixed
 * range to its end, where alignment would only slow them down; BATCH ignores watermarks.
 */
public record WatermarkAlignment(String group, Duration maxDrift, Duration updateInterval)
        implements Serializable {

    /**
     * The alignment the configuration asks for, or null when it is off (switched off, BATCH, or
     * bounded sources).
     *
     * @throws InvalidConfigException on a negative drift or a non-positive interval
     */
    public static WatermarkAlignment from(
            Configuration conf, String jobName, ExecutionMode mode, StopPosition stop) {
        Duration drift = conf.get(TidemarkOptions.ALIGNMENT_MAX_DRIFT);
        if (drift.isNegative()) {
            throw invalid(TidemarkOptions.ALIGNMENT_MAX_DRIFT.key(), drift, "a duration >= 0");
        }
        Duration interval = conf.get(TidemarkOptions.ALIGNMENT_UPDATE_INTERVAL);
        if (interval.toMillis() < 1) {
            throw invalid(
                    TidemarkOptions.ALIGNMENT_UPDATE_INTERVAL.key(), interval, "at least 1 ms");
        }
        String group = conf.getOptional(TidemarkOptions.ALIGNMENT_GROUP).orElse(jobName);
        if (group.isBlank()) {
            throw invalid(TidemarkOptions.ALIGNMENT_GROUP.key(), group, "a non-empty name");
        }
        if (!conf.get(TidemarkOptions.ALIGNMENT_ENABLED)
                || mode != ExecutionMode.STREAMING
                || stop.kind() != StopPosition.Kind.NONE) {
            return null;
        }
        return new WatermarkAlignment(group, drift, interval);
    }

    /** {@code strategy} with this alignment. */
    public <T> WatermarkStrategy<T> applyTo(WatermarkStrategy<T> strategy) {
        return strategy.withWatermarkAlignment(group, maxDrift, updateInterval);
    }

    private static InvalidConfigException invalid(String key, Object value, String expected) {
        return new InvalidConfigException(
                "Invalid value '"
                        + value
                        + "' for configuration key '"
                        + key
                        + "': expected "
                        + expected);
    }
}
