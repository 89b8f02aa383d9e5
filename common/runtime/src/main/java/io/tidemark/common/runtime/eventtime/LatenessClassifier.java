package io.tidemark.common.runtime.eventtime;

import io.tidemark.common.runtime.metrics.TidemarkMetrics;
import io.tidemark.common.runtime.record.ErrorEnvelopes;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The deterministic lateness rule of DESIGN.md §1, per source partition ({@link #partitionKey topic
 * and partition}):
 *
 * <pre>
 *   record r at (partition p, offset o) is late  ⇔  r.eventTime &lt; maxEventTime(p, offsets &lt; o) − B
 * </pre>
 *
 * <p>It runs <b>chained to the Kafka source</b> (forward edges only, no {@code keyBy}), so it sees
 * each partition in offset order in STREAMING and in BATCH alike, costs no shuffle, and its load is
 * spread exactly as the source's partitions are. The maxima are checkpointed as <b>union operator
 * state</b>, one {@code (topic/partition, max)} entry per partition: after a restore, at any
 * parallelism, every subtask gets every entry and keeps the largest per partition, so whichever
 * subtask the source hands a partition to judges it against the maximum its offsets had reached. A
 * maximum only grows, so the largest of the restored copies is the one of the subtask that owned
 * the partition at the checkpoint.
 *
 * <p>Late records leave through {@link #LATE} as error envelopes with reason {@code LATE}.
 * Heartbeats raise the maximum and are always dropped (a heartbeat behind the maximum changes
 * nothing). The key names the topic as well as the partition so that a savepoint restored into a
 * job reading another topic can never apply one topic's maxima to another's partitions.
 *
 * <p>Metrics ({@link TidemarkMetrics}): counters {@code tidemark.onTime}, {@code late}, {@code
 * heartbeats}; per partition a counter {@code tidemark.partition.<topic>/<partition>.late} and a
 * gauge {@code …maxEventTime} that mirrors the maximum; the {@code tidemark.watermark} gauge (this
 * source subtask's watermark) and the {@code tidemark.watermarkLag} gauge (how far it trails the
 * on-time data this subtask passed on). Metrics are written, never read: decisions use the maxima
 * only.
 */
public final class LatenessClassifier<T> extends AbstractStreamOperator<InputRecord<T>>
        implements OneInputStreamOperator<InputRecord<T>, InputRecord<T>> {

    private static final long serialVersionUID = 1L;

    /** Late records, as envelopes for the job's late topic. */
    public static final OutputTag<ErrorEnvelope> LATE =
            new OutputTag<>("late", new AvroTypeInfo<>(ErrorEnvelope.class));

    /** Name of the checkpointed state: part of the job's state contract. */
    public static final String MAX_EVENT_TIME_STATE = "max-event-time";

    /** The checkpointed state: union list of {@code (topic/partition, maximum event time)}. */
    public static ListStateDescriptor<Tuple2<String, Long>> maxEventTimeState() {
        return new ListStateDescriptor<>(MAX_EVENT_TIME_STATE, ENTRY);
    }

    private static final TypeInformation<Tuple2<String, Long>> ENTRY =
            Types.TUPLE(Types.STRING, Types.LONG);

    /** The partition key of a record: {@code <topic>/<partition>}. */
    public static String partitionKey(InputRecord<?> record) {
        return record.topic + "/" + record.partition;
    }

    private final String job;
    private final long boundMs;
    private final boolean keepValue;

    private transient ListState<Tuple2<String, Long>> checkpointed;

    /** Per partition key: its maximum and metrics. Looked up by topic and partition per record. */
    private transient Map<String, Map<Integer, Partition>> partitions;

    /** Maxima restored for partitions this subtask has not seen yet, by partition key. */
    private transient Map<String, Long> restored;

    private transient Counter onTime;
    private transient Counter late;
    private transient Counter heartbeats;
    private transient MetricGroup metrics;

    // Written by the task thread, read by the metric reporter's.
    private transient volatile long maxPassedOn;
    private transient volatile long watermark;

    /**
     * @param job job name written into envelopes
     * @param boundMs the out-of-orderness bound {@code B}
     * @param keepValue whether accepted records keep their original bytes: only when a later stage
     *     ({@link LateAfterIdle}) may still send them to the late topic, which must carry them
     */
    public LatenessClassifier(String job, long boundMs, boolean keepValue) {
        if (boundMs < 0) {
            throw new IllegalArgumentException("bound must be >= 0 ms, was " + boundMs);
        }
        this.job = job;
        this.boundMs = boundMs;
        this.keepValue = keepValue;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        checkpointed = context.getOperatorStateStore().getUnionListState(maxEventTimeState());
        restored = new HashMap<>();
        for (Tuple2<String, Long> entry : checkpointed.get()) {
            restored.merge(entry.f0, entry.f1, Math::max);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        metrics = TidemarkMetrics.of(getMetricGroup());
        onTime = metrics.counter(TidemarkMetrics.ON_TIME);
        late = metrics.counter(TidemarkMetrics.LATE);
        heartbeats = metrics.counter(TidemarkMetrics.HEARTBEATS);
        // Only LateAfterIdle counts it (idleness on); registered here too so that dashboards and
        // reports find the series, at 0, whether idleness is on or not.
        metrics.counter(TidemarkMetrics.LATE_AFTER_IDLE);
        partitions = new HashMap<>();
        maxPassedOn = Long.MIN_VALUE;
        watermark = Long.MIN_VALUE;
        metrics.gauge(
                TidemarkMetrics.WATERMARK_LAG,
                (Gauge<Long>) () -> TidemarkMetrics.watermarkLag(maxPassedOn, watermark));
        metrics.gauge(TidemarkMetrics.WATERMARK, (Gauge<Long>) () -> watermark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // Every entry this subtask knows, its own partitions' and the restored ones it has not
        // seen (another subtask may own them now, or nobody has read them since the restore): a
        // partition's maximum must never be lost, and duplicates resolve to the largest.
        Map<String, Long> all = new TreeMap<>(restored);
        partitions
                .values()
                .forEach(byPartition -> byPartition.values().forEach(p -> all.put(p.key, p.max)));
        checkpointed.update(
                all.entrySet().stream().map(e -> Tuple2.of(e.getKey(), e.getValue())).toList());
    }

    @Override
    public void processElement(StreamRecord<InputRecord<T>> element) {
        InputRecord<T> record = element.getValue();
        if (record.isBad()) {
            throw new IllegalStateException(
                    "bad records must be routed to the DLQ before the classifier: " + record);
        }
        Partition partition =
                partitions
                        .computeIfAbsent(record.topic, topic -> new HashMap<>())
                        .computeIfAbsent(record.partition, p -> partition(record));
        long eventTime = record.eventTime;
        if (record.isHeartbeat()) {
            // A heartbeat carries no data: it can only raise the maximum, then it is dropped. One
            // that is itself behind changes nothing and is not worth a late-topic record.
            heartbeats.inc();
            partition.raise(eventTime);
            return;
        }
        long max = partition.max;
        if (max != Long.MIN_VALUE && eventTime < max - boundMs) {
            late.inc();
            partition.late.inc();
            output.collect(LATE, new StreamRecord<>(lateEnvelope(record, max)));
            return;
        }
        partition.raise(eventTime);
        onTime.inc();
        if (eventTime > maxPassedOn) {
            maxPassedOn = eventTime;
        }
        if (!keepValue) {
            record.value = null; // accepted: the original bytes are no longer needed downstream
        }
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        super.processWatermark(mark);
    }

    private ErrorEnvelope lateEnvelope(InputRecord<T> record, long max) {
        return ErrorEnvelopes.of(
                record,
                ReasonCode.LATE,
                "event time "
                        + record.eventTime
                        + " is "
                        + (max - record.eventTime)
                        + " ms behind the partition's maximum "
                        + max
                        + " (bound "
                        + boundMs
                        + " ms)",
                job);
    }

    /** The first record of a partition on this subtask: its state, restored or empty. */
    private Partition partition(InputRecord<?> record) {
        String key = partitionKey(record);
        Long max = restored.remove(key);
        MetricGroup group = metrics.addGroup(TidemarkMetrics.PARTITION, key);
        Partition partition =
                new Partition(
                        key,
                        max == null ? Long.MIN_VALUE : max,
                        group.counter(TidemarkMetrics.PARTITION_LATE));
        group.gauge(TidemarkMetrics.PARTITION_MAX_EVENT_TIME, partition);
        return partition;
    }

    /**
     * One partition: its maximum ({@link Long#MIN_VALUE} before its first record; also read by its
     * gauge) and its late counter.
     */
    private static final class Partition implements Gauge<Long> {
        final String key;
        final Counter late;
        volatile long max;

        Partition(String key, long max, Counter late) {
            this.key = key;
            this.max = max;
            this.late = late;
        }

        void raise(long eventTime) {
            if (eventTime > max) {
                max = eventTime;
            }
        }

        @Override
        public Long getValue() {
            return max;
        }
    }
}
