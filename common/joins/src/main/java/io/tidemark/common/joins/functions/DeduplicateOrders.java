package io.tidemark.common.joins.functions;

import io.tidemark.common.runtime.metrics.TidemarkMetrics;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.schemas.Order;
import java.util.Comparator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops copies of an order (producer retries, replays) so that each {@code orderId} counts once;
 * keyed by orderId, deterministically (DESIGN.md §1).
 *
 * <p>The rule, a function of the input alone: sort the copies of one orderId by (event time, topic,
 * partition, offset). The first one passes; every later copy whose event time is at most {@code
 * horizon} past the event time of the last copy that passed is a duplicate; a copy further away
 * than that passes again (a new order under a reused id, or a replay beyond the horizon) and opens
 * a new horizon. With the default horizon of 24 h a retry written up to a day apart counts once.
 *
 * <p>How the operator applies it whatever the arrival interleaving: copies can sit in different
 * partitions, read in any order. Every record that reaches this operator was accepted by the
 * lateness classifier, so its event time is ahead of the watermark (DESIGN.md §1). The operator
 * therefore holds each pending copy until the watermark reaches its event time; by then every copy
 * with an earlier or equal event time has arrived, so deciding copies in event-time order at their
 * timers decides them in the sorted order above:
 *
 * <ul>
 *   <li>{@value #PENDING_STATE}: per event time, the pending copy that sorts first (by topic,
 *       partition, offset); a copy that sorts after it at the same event time is dropped at once.
 *       An event-time timer at that event time decides it.
 *   <li>{@value #PASSED_STATE}: the event time of the last copy that passed. A copy that arrives
 *       with an event time within the horizon of it is dropped at once (no copy between can pass:
 *       it would be within the horizon too). An event-time timer at that time + horizon clears it:
 *       the TTL of the state, in event time. No processing-time TTL decides anything.
 * </ul>
 *
 * In BATCH, timers fire after all records of a key, in timestamp order, which gives the same
 * result. Emitted copies keep their event time as timestamp. Dropped copies are counted ({@code
 * tidemark.duplicates}); which of the identical copies passes is visible only through its
 * coordinates, which is what makes the choice matter for the downstream result keys.
 */
public final class DeduplicateOrders
        extends KeyedProcessFunction<String, InputRecord<Order>, InputRecord<Order>> {

    private static final long serialVersionUID = 1L;

    /** State names: part of the jobs' state contract. */
    public static final String PENDING_STATE = "pending-copies";

    public static final String PASSED_STATE = "passed-at";

    /** The order copies are decided in: (event time, topic, partition, offset). */
    public static final Comparator<InputRecord<Order>> ORDER =
            Comparator.<InputRecord<Order>>comparingLong(r -> r.eventTime)
                    .thenComparing(r -> r.topic)
                    .thenComparingInt(r -> r.partition)
                    .thenComparingLong(r -> r.offset);

    private final long horizonMs;

    private transient MapState<Long, InputRecord<Order>> pending;
    private transient ValueState<Long> passedAt;
    private transient Counter duplicates;

    /**
     * @param horizonMs event time past a passed copy within which later copies are duplicates (≥ 0)
     */
    public DeduplicateOrders(long horizonMs) {
        if (horizonMs < 0) {
            throw new IllegalArgumentException("horizon must be >= 0: " + horizonMs);
        }
        this.horizonMs = horizonMs;
    }

    @Override
    public void open(OpenContext openContext) {
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        PENDING_STATE,
                                        Types.LONG,
                                        InputRecord.typeInfo(Order.class)));
        passedAt =
                getRuntimeContext().getState(new ValueStateDescriptor<>(PASSED_STATE, Types.LONG));
        duplicates =
                TidemarkMetrics.of(getRuntimeContext().getMetricGroup())
                        .counter(TidemarkMetrics.DUPLICATES);
    }

    /** Copies dropped by this instance since it opened (for tests). */
    long duplicatesCounted() {
        return duplicates.getCount();
    }

    @Override
    public void processElement(
            InputRecord<Order> record, Context ctx, Collector<InputRecord<Order>> out)
            throws Exception {
        long eventTime = record.eventTime;
        Long passed = passedAt.value();
        if (passed != null && eventTime - passed <= horizonMs) {
            duplicates.inc();
            return;
        }
        InputRecord<Order> held = pending.get(eventTime);
        if (held == null) {
            pending.put(eventTime, record);
            ctx.timerService().registerEventTimeTimer(eventTime);
        } else if (ORDER.compare(record, held) < 0) {
            pending.put(eventTime, record);
            duplicates.inc();
        } else {
            duplicates.inc();
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<InputRecord<Order>> out)
            throws Exception {
        InputRecord<Order> copy = pending.get(timestamp);
        if (copy != null) {
            pending.remove(timestamp);
            Long passed = passedAt.value();
            if (passed != null && timestamp - passed <= horizonMs) {
                duplicates.inc();
            } else {
                out.collect(copy);
                passedAt.update(timestamp);
                if (horizonMs > 0) {
                    long clearAt =
                            timestamp > Long.MAX_VALUE - horizonMs
                                    ? Long.MAX_VALUE
                                    : timestamp + horizonMs;
                    ctx.timerService().registerEventTimeTimer(clearAt);
                }
            }
        }
        Long passed = passedAt.value();
        if (passed != null && timestamp - passed >= horizonMs) {
            passedAt.clear();
        }
    }
}
