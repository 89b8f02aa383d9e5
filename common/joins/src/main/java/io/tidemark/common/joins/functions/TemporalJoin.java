package io.tidemark.common.joins.functions;

import io.tidemark.common.runtime.metrics.TidemarkMetrics;
import io.tidemark.common.runtime.record.InputRecord;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The event-time temporal join both sides of the enrichment share, keyed by the dimension id: facts
 * (first input) wait in state until the watermark of both inputs has passed their event time {@code
 * t}; by then every dimension change with {@code ts_ms ≤ t} has arrived or been classified late
 * (DESIGN.md §1), so the version chosen — the greatest {@code ts_ms ≤ t} — never depends on which
 * stream was read faster. Versions no future fact can need are pruned on event-time timers, which
 * keeps dimension state bounded.
 *
 * @param <F> the fact as it arrives
 * @param <C> the change event (Debezium envelope) of the dimension
 * @param <D> the dimension row image
 */
abstract class TemporalJoin<F, C extends SpecificRecordBase, D extends SpecificRecordBase>
        extends KeyedCoProcessFunction<String, F, InputRecord<C>, LineTask> {

    private static final long serialVersionUID = 1L;

    private final String versionsState;
    private final String pendingState;
    private final Class<D> imageType;
    private final String notFoundMetric;

    private transient VersionHistory<D> versions;
    private transient PendingFacts pending;
    private transient Counter notFound;

    TemporalJoin(
            String versionsState, String pendingState, Class<D> imageType, String notFoundMetric) {
        this.versionsState = versionsState;
        this.pendingState = pendingState;
        this.imageType = imageType;
        this.notFoundMetric = notFoundMetric;
    }

    /** The fact as a pending task, and its event time. */
    abstract LineTask pendingTask(F fact);

    abstract long eventTime(F fact);

    /** True when the change deletes the row. */
    abstract boolean isDelete(C change);

    /** The row after the change (null for a delete). */
    abstract D image(C change);

    /**
     * Writes the version valid at the fact's time into the task (null: none, or a delete) and emits
     * what goes downstream.
     */
    abstract void emit(LineTask task, DimensionVersion<D> valid, Collector<LineTask> out);

    @Override
    public void open(OpenContext openContext) {
        versions =
                new VersionHistory<>(
                        getRuntimeContext()
                                .getMapState(
                                        new MapStateDescriptor<>(
                                                versionsState,
                                                Types.LONG,
                                                DimensionVersion.typeInfo(imageType))));
        pending =
                new PendingFacts(
                        getRuntimeContext()
                                .getMapState(
                                        new MapStateDescriptor<>(
                                                pendingState,
                                                Types.LONG,
                                                Types.LIST(LineTask.typeInfo()))));
        notFound = TidemarkMetrics.of(getRuntimeContext().getMetricGroup()).counter(notFoundMetric);
    }

    @Override
    public void processElement1(F fact, Context ctx, Collector<LineTask> out) throws Exception {
        long t = eventTime(fact);
        pending.add(t, pendingTask(fact));
        ctx.timerService().registerEventTimeTimer(t);
    }

    @Override
    public void processElement2(InputRecord<C> record, Context ctx, Collector<LineTask> out)
            throws Exception {
        C change = record.payload;
        versions.add(
                DimensionVersion.of(
                        record.eventTime,
                        record.partition,
                        record.offset,
                        isDelete(change),
                        image(change)));
        ctx.timerService().registerEventTimeTimer(record.eventTime);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LineTask> out)
            throws Exception {
        List<LineTask> due = pending.takeDue(timestamp);
        if (!due.isEmpty()) {
            DimensionVersion<D> version = versions.validAt(timestamp);
            DimensionVersion<D> valid = version == null || version.deleted ? null : version;
            for (LineTask task : due) {
                if (valid == null) {
                    notFound.inc();
                }
                emit(task, valid, out);
            }
        }
        versions.pruneUpTo(timestamp);
    }
}
