package io.tidemark.common.runtime.eventtime;

import io.tidemark.common.runtime.record.ErrorEnvelopes;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
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
        var metrics = getRuntimeContext().getMetricGroup().addGroup("tidemark");
        onTime = metrics.counter("onTime");
        late = metrics.counter("late");
        lateAfterIdle = metrics.counter("lateAfterIdle");
        heartbeats = metrics.counter("heartbeats");
    }

    @Override
    public void processElement(InputRecord<T> record, Context ctx, Collector<InputRecord<T>> out)
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
            if (max == null || eventTime > max) {
                maxEventTime.update(eventTime);
            }
            return;
        }
        if (max != null && eventTime < max - boundMs) {
            late.inc();
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
            return;
        }
        if (max == null || eventTime > max) {
            maxEventTime.update(eventTime);
        }
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
            return;
        }
        onTime.inc();
        record.value = null; // accepted: the original bytes are no longer needed downstream
        out.collect(record);
    }
}
