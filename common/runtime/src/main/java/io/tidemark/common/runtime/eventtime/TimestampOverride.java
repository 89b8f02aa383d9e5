package io.tidemark.common.runtime.eventtime;

import io.tidemark.common.runtime.metrics.TidemarkMetrics;
import io.tidemark.common.runtime.record.InputRecord;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Re-stamps each record's Flink timestamp and passes watermarks through untouched.
 *
 * <p>Why: in BATCH execution Flink sorts keyed input by key and timestamp. The lateness classifier
 * must see each partition in offset order, so its input is stamped with the source offset before
 * the {@code keyBy(partition)} and stamped back with the event time after it. In STREAMING the two
 * stamps change nothing, which keeps one topology for both modes.
 *
 * <p>Stamping the event time back, right after the classifier, this operator is the first to see
 * both the event times of the on-time records and the watermark the windows downstream will see, so
 * it reports the {@link TidemarkMetrics#WATERMARK_LAG watermark lag} gauge ({@code
 * tidemark.watermarkLag}). Progress only: nothing reads it back.
 */
public final class TimestampOverride<T> extends AbstractStreamOperator<InputRecord<T>>
        implements OneInputStreamOperator<InputRecord<T>, InputRecord<T>> {

    private static final long serialVersionUID = 1L;

    /** Which timestamp to put on each record. */
    public enum Source {
        OFFSET,
        EVENT_TIME
    }

    private final Source source;

    // Written by the task thread, read by the metric reporter's.
    private transient volatile long maxEventTime;
    private transient volatile long watermark;

    public TimestampOverride(Source source) {
        this.source = source;
    }

    @Override
    public void open() throws Exception {
        super.open();
        maxEventTime = Long.MIN_VALUE;
        watermark = Long.MIN_VALUE;
        if (source == Source.EVENT_TIME) {
            TidemarkMetrics.of(getMetricGroup())
                    .gauge(
                            TidemarkMetrics.WATERMARK_LAG,
                            (Gauge<Long>)
                                    () -> TidemarkMetrics.watermarkLag(maxEventTime, watermark));
        }
    }

    @Override
    public void processElement(StreamRecord<InputRecord<T>> element) {
        InputRecord<T> record = element.getValue();
        long timestamp;
        if (source == Source.OFFSET) {
            timestamp = record.offset;
        } else {
            timestamp = InputWatermarks.timestampOf(record);
            if (timestamp > maxEventTime) {
                maxEventTime = timestamp;
            }
        }
        output.collect(element.replace(record, timestamp));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        super.processWatermark(mark);
    }
}
