package io.tidemark.common.runtime.eventtime;

import io.tidemark.common.runtime.record.InputRecord;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Stamps each record with its event time ({@link InputWatermarks#timestampOf}) and passes
 * watermarks through untouched, for a stream read without a timestamp assigner: the late records
 * {@code LateReplay} reads back from a late topic as on time.
 *
 * <p>Unlike {@code assignTimestampsAndWatermarks}, it does not swallow the watermarks that arrive
 * from upstream.
 */
public final class TimestampOverride<T> extends AbstractStreamOperator<InputRecord<T>>
        implements OneInputStreamOperator<InputRecord<T>, InputRecord<T>> {

    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(StreamRecord<InputRecord<T>> element) {
        InputRecord<T> record = element.getValue();
        output.collect(element.replace(record, InputWatermarks.timestampOf(record)));
    }
}
