package io.tidemark.jobs.sessionization.functions;

import io.tidemark.common.runtime.metrics.TidemarkMetrics;
import io.tidemark.common.schemas.Click;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops clicks whose {@code eventId} was already seen; keyed by eventId.
 *
 * <p>The first copy passes; its state is cleared by an event-time timer at the click's event time.
 * That is enough: once the watermark has passed a click's event time, the lateness classifier
 * already rejects every later copy of it (the watermark stays more than {@code B} behind every
 * partition's maximum), so no copy can reach this operator after the cleanup. No processing-time
 * TTL decides anything.
 *
 * <p>Duplicates are copies of one event (producer retries, replays): which copy passes does not
 * change the output. Dropped copies are counted ({@code tidemark.duplicates}).
 */
public final class DeduplicateByEventId extends KeyedProcessFunction<String, Click, Click> {

    private static final long serialVersionUID = 1L;

    /** State name: part of the job's state contract. */
    public static final String SEEN_STATE = "seen";

    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>(SEEN_STATE, Types.BOOLEAN));
        duplicates =
                TidemarkMetrics.of(getRuntimeContext().getMetricGroup())
                        .counter(TidemarkMetrics.DUPLICATES);
    }

    @Override
    public void processElement(Click click, Context ctx, Collector<Click> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            return;
        }
        seen.update(true);
        ctx.timerService().registerEventTimeTimer(click.getEventTime().toEpochMilli());
        out.collect(click);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Click> out) {
        seen.clear();
    }
}
