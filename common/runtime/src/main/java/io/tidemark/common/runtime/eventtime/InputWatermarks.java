package io.tidemark.common.runtime.eventtime;

import io.tidemark.common.runtime.record.InputRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The watermark strategy of every Tidemark input. Pass it to {@code env.fromSource(...)} so the
 * Kafka source generates watermarks per partition; never assign watermarks after a shuffle.
 *
 * <p>The out-of-orderness is {@code B + 1 ms}: the watermark then stays at most {@code max − B − 2
 * ms}, strictly behind every record the lateness classifier accepts, so a window that ends at
 * exactly {@code max − B} has not fired yet when a record at {@code max − B} arrives (see DESIGN.md
 * §1). Records that failed validation get {@link Long#MIN_VALUE} and so never advance the
 * watermark.
 */
public final class InputWatermarks {

    private InputWatermarks() {}

    /**
     * @param bound the configured out-of-orderness {@code B}
     * @param idleness processing-time idleness, or null (the default) to keep it off: idleness
     *     makes results depend on timing, which DESIGN.md trades only on request
     */
    public static <T> WatermarkStrategy<InputRecord<T>> forBound(
            Duration bound, Duration idleness) {
        return forBound(bound, idleness, null);
    }

    /**
     * @param bound the configured out-of-orderness {@code B}
     * @param idleness processing-time idleness, or null (the default) to keep it off
     * @param alignment watermark alignment, or null for none; it only pauses reading and never
     *     changes results (see {@link WatermarkAlignment})
     */
    public static <T> WatermarkStrategy<InputRecord<T>> forBound(
            Duration bound, Duration idleness, WatermarkAlignment alignment) {
        WatermarkStrategy<InputRecord<T>> strategy =
                WatermarkStrategy.<InputRecord<T>>forBoundedOutOfOrderness(bound.plusMillis(1))
                        .withTimestampAssigner(
                                (SerializableTimestampAssigner<InputRecord<T>>)
                                        (record, kafkaTimestamp) -> timestampOf(record));
        if (alignment != null) {
            strategy = alignment.applyTo(strategy);
        }
        return idleness == null ? strategy : strategy.withIdleness(idleness);
    }

    /** Event time for data and heartbeats; {@link Long#MIN_VALUE} for bad records. */
    public static long timestampOf(InputRecord<?> record) {
        if (record.isBad() || record.eventTime == null) {
            return Long.MIN_VALUE;
        }
        return record.eventTime;
    }
}
