package io.tidemark.common.runtime.eventtime;

import io.tidemark.common.runtime.record.InputRecord;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Re-stamps each record's Flink timestamp and passes watermarks through untouched.
 *
 * <p>Why: in BATCH execution Flink sorts keyed input by key and timestamp. The lateness classifier
 * must see each partition in offset order, so its input is stamped with the source offset before
 * the {@code keyBy(partition)} and stamped back with the event time after it. In STREAMING the two
 * stamps change nothing, which keeps one topology for both modes.
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

    public TimestampOverride(Source source) {
        this.source = source;
    }

    @Override
    public void processElement(StreamRecord<InputRecord<T>> element) {
        InputRecord<T> record = element.getValue();
        long timestamp =
                source == Source.OFFSET ? record.offset : InputWatermarks.timestampOf(record);
        output.collect(element.replace(record, timestamp));
    }
}
