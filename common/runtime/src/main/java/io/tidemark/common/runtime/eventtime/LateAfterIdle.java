package io.tidemark.common.runtime.eventtime;

import io.tidemark.common.runtime.metrics.TidemarkMetrics;
import io.tidemark.common.runtime.record.ErrorEnvelopes;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.schemas.ReasonCode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Only with processing-time idleness switched on: sends a record the lateness rule accepted but
 * that is behind the watermark to the late topic with reason {@code LATE_AFTER_IDLE}, instead of
 * letting a window drop it silently.
 *
 * <p>It must see the watermark the windows will see: the minimum over every source subtask. The
 * {@link LatenessClassifier} is chained to the source and knows only its own subtask's watermark,
 * which for a subtask that was idle (while idleness let the others advance) is behind the global
 * one. So this stage runs after an all-to-all exchange ({@code rebalance}), whose watermark is the
 * minimum over all source subtasks; without idleness it is not in the job at all.
 */
public final class LateAfterIdle<T> extends ProcessFunction<InputRecord<T>, InputRecord<T>> {

    private static final long serialVersionUID = 1L;

    private final String job;
    private transient Counter lateAfterIdle;

    public LateAfterIdle(String job) {
        this.job = job;
    }

    @Override
    public void open(OpenContext openContext) {
        lateAfterIdle =
                TidemarkMetrics.of(getRuntimeContext().getMetricGroup())
                        .counter(TidemarkMetrics.LATE_AFTER_IDLE);
    }

    @Override
    public void processElement(InputRecord<T> record, Context ctx, Collector<InputRecord<T>> out) {
        long watermark = ctx.timerService().currentWatermark();
        if (record.eventTime > watermark) {
            record.value = null; // on time after all: the original bytes are no longer needed
            out.collect(record);
            return;
        }
        lateAfterIdle.inc();
        ctx.output(
                LatenessClassifier.LATE,
                ErrorEnvelopes.of(
                        record,
                        ReasonCode.LATE_AFTER_IDLE,
                        "event time "
                                + record.eventTime
                                + " is behind the watermark "
                                + watermark
                                + ", which idleness let advance",
                        job));
    }
}
