package io.tidemark.common.runtime.eventtime;

import io.tidemark.common.runtime.metrics.TidemarkMetrics;
import io.tidemark.common.runtime.record.ErrorEnvelopes;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The deterministic lateness rule of DESIGN.md §1, keyed by source partition ({@link #partitionKey
 * topic and partition}):
 *
 * <pre>
 *   record r at (partition p, offset o) is late  ⇔  r.eventTime &lt; maxEventTime(p, offsets &lt; o) − B
 * </pre>
 *
 * <p>The per-partition maximum is keyed, checkpointed state, so the decision survives failures,
 * rescaling and savepoints, and does not depend on how fast any partition was read. Late records
 * leave through {@link #LATE} as error envelopes with reason {@code LATE}. Heartbeats raise the
 * maximum and are always dropped (a heartbeat behind the maximum changes nothing). When
 * processing-time idleness is switched on, a record the rule accepts may still be behind the
 * watermark; it leaves with reason {@code LATE_AFTER_IDLE} instead of being dropped silently by a
 * window.
 *
 * <p>Input must be keyed by {@link #partitionKey} and, in BATCH, stamped with the source offset
 * (see {@link TimestampOverride}). The key names the topic as well as the partition so that a
 * savepoint restored into a job reading another topic can never apply one topic's maxima to
 * another's partitions: the new topic's partitions simply start without a maximum.
 *
 * <p>Metrics ({@link TidemarkMetrics}): counters {@code tidemark.onTime}, {@code late}, {@code
 * lateAfterIdle}, {@code heartbeats}, and per partition a gauge {@code
 * tidemark.partition.<topic>/<partition>.maxEventTime} that mirrors the maximum after each record.
 * The mirror is written, never read: decisions use the keyed state only.
 */
public final class LatenessClassifier<T>
        extends KeyedProcessFunction<String, InputRecord<T>, InputRecord<T>> {

    private static final long serialVersionUID = 1L;

    /** Late records, as envelopes for the job's late topic. */
    public static final OutputTag<ErrorEnvelope> LATE =
            new OutputTag<>("late", new AvroTypeInfo<>(ErrorEnvelope.class));

    /** Name of the checkpointed state: part of the job's state contract. */
    public static final String MAX_EVENT_TIME_STATE = "max-event-time";

    /** The state key of a record: {@code <topic>/<partition>}. */
    public static String partitionKey(InputRecord<?> record) {
        return record.topic + "/" + record.partition;
    }

    private final String job;
    private final long boundMs;
    private final boolean idlenessEnabled;

    private transient ValueState<Long> maxEventTime;
    private transient Counter onTime;
    private transient Counter late;
    private transient Counter lateAfterIdle;
    private transient Counter heartbeats;
    private transient MetricGroup metrics;

    /**
     * Per partition key: its metrics (the maximum's mirror its gauge reads, task thread writes,
     * reporter thread reads; its late counter).
     */
    private transient Map<String, PartitionMetrics> partitions;

    /**
     * @param job job name written into envelopes
     * @param boundMs the out-of-orderness bound {@code B}
     * @param idlenessEnabled whether processing-time idleness is on (then watermark-late records
     *     are classified {@code LATE_AFTER_IDLE})
     */
    public LatenessClassifier(String job, long boundMs, boolean idlenessEnabled) {
        if (boundMs < 0) {
            throw new IllegalArgumentException("bound must be >= 0 ms, was " + boundMs);
        }
        this.job = job;
        this.boundMs = boundMs;
        this.idlenessEnabled = idlenessEnabled;
    }

    @Override
    public void open(OpenContext openContext) {
        maxEventTime =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(MAX_EVENT_TIME_STATE, Types.LONG));
        metrics = TidemarkMetrics.of(getRuntimeContext().getMetricGroup());
        onTime = metrics.counter(TidemarkMetrics.ON_TIME);
        late = metrics.counter(TidemarkMetrics.LATE);
        lateAfterIdle = metrics.counter(TidemarkMetrics.LATE_AFTER_IDLE);
        heartbeats = metrics.counter(TidemarkMetrics.HEARTBEATS);
        partitions = new HashMap<>();
    }

    @Override
    public void processElement(InputRecord<T> record, Context ctx, Collector<InputRecord<T>> out)
            throws Exception {
        PartitionMetrics partition =
                partitions.computeIfAbsent(ctx.getCurrentKey(), this::registerPartitionMetrics);
        // Progress only: the partition's maximum after the decision, for its gauge.
        partition.value = classify(record, ctx, out, partition.late);
    }

    private PartitionMetrics registerPartitionMetrics(String partitionKey) {
        MetricGroup group = metrics.addGroup(TidemarkMetrics.PARTITION, partitionKey);
        PartitionMetrics partition =
                new PartitionMetrics(group.counter(TidemarkMetrics.PARTITION_LATE));
        group.gauge(TidemarkMetrics.PARTITION_MAX_EVENT_TIME, partition);
        return partition;
    }

    /** One partition's metrics: the mirror of its maximum (read by its gauge), its late count. */
    private static final class PartitionMetrics implements Gauge<Long> {
        final Counter late;
        volatile long value = Long.MIN_VALUE;

        PartitionMetrics(Counter late) {
            this.late = late;
        }

        @Override
        public Long getValue() {
            return value;
        }
    }

    /** Decides, emits, updates the state; returns the partition's maximum after the record. */
    private long classify(
            InputRecord<T> record,
            Context ctx,
            Collector<InputRecord<T>> out,
            Counter partitionLate)
            throws Exception {
        if (record.isBad()) {
            throw new IllegalStateException(
                    "bad records must be routed to the DLQ before the classifier: " + record);
        }
        long eventTime = record.eventTime;
        Long max = maxEventTime.value();
        if (record.isHeartbeat()) {
            // A heartbeat carries no data: it can only raise the maximum, then it is dropped. One
            // that is itself behind changes nothing and is not worth a late-topic record.
            heartbeats.inc();
            return raise(max, eventTime);
        }
        if (max != null && eventTime < max - boundMs) {
            late.inc();
            partitionLate.inc();
            ctx.output(
                    LATE,
                    ErrorEnvelopes.of(
                            record,
                            ReasonCode.LATE,
                            "event time "
                                    + eventTime
                                    + " is "
                                    + (max - eventTime)
                                    + " ms behind the partition's maximum "
                                    + max
                                    + " (bound "
                                    + boundMs
                                    + " ms)",
                            job));
            return max;
        }
        long raised = raise(max, eventTime);
        if (idlenessEnabled && eventTime <= ctx.timerService().currentWatermark()) {
            lateAfterIdle.inc();
            ctx.output(
                    LATE,
                    ErrorEnvelopes.of(
                            record,
                            ReasonCode.LATE_AFTER_IDLE,
                            "event time "
                                    + eventTime
                                    + " is behind the watermark "
                                    + ctx.timerService().currentWatermark()
                                    + ", which idleness let advance",
                            job));
            return raised;
        }
        onTime.inc();
        record.value = null; // accepted: the original bytes are no longer needed downstream
        out.collect(record);
        return raised;
    }

    /** Raises the partition's maximum to {@code eventTime} if it is higher; returns the maximum. */
    private long raise(Long max, long eventTime) throws Exception {
        if (max == null || eventTime > max) {
            maxEventTime.update(eventTime);
            return eventTime;
        }
        return max;
    }
}
