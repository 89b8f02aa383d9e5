package io.tidemark.common.runtime.eventtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.metrics.CapturedMetrics;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.runtime.record.RecordKind;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LatenessClassifierTest {

    private static final long B = 2_000L;
    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();

    private KeyedOneInputStreamOperatorTestHarness<String, InputRecord<String>, InputRecord<String>>
            harness;
    private long nextOffset;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness(false);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, InputRecord<String>, InputRecord<String>>
            newHarness(boolean idleness) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new LatenessClassifier<String>("test", B, idleness)),
                LatenessClassifier::partitionKey,
                Types.STRING);
    }

    private InputRecord<String> record(int partition, long eventTime, RecordKind kind) {
        return record("clicks", partition, eventTime, kind);
    }

    private InputRecord<String> record(
            String topic, int partition, long eventTime, RecordKind kind) {
        InputRecord<String> r = new InputRecord<>();
        r.topic = topic;
        r.partition = partition;
        r.offset = nextOffset++;
        r.recordTimestamp = eventTime;
        r.key = new byte[] {1};
        r.value = new byte[] {2, 3};
        r.kind = kind;
        r.payload = kind == RecordKind.DATA ? "e@" + eventTime : null;
        r.eventTime = eventTime;
        return r;
    }

    private void push(int partition, long eventTime) throws Exception {
        push(harness, record(partition, eventTime, RecordKind.DATA));
    }

    private static void push(
            KeyedOneInputStreamOperatorTestHarness<String, InputRecord<String>, InputRecord<String>>
                    h,
            InputRecord<String> r)
            throws Exception {
        h.processElement(new StreamRecord<>(r, r.offset));
    }

    private List<Long> onTimeEventTimes() {
        return harness.extractOutputValues().stream().map(r -> r.eventTime).toList();
    }

    private List<ErrorEnvelope> late() {
        return harness.getSideOutput(LatenessClassifier.LATE) == null
                ? List.of()
                : harness.getSideOutput(LatenessClassifier.LATE).stream()
                        .map(StreamRecord::getValue)
                        .toList();
    }

    @Test
    void recordExactlyBoundBehindMaximumIsOnTime() throws Exception {
        push(0, T0);
        push(0, T0 - B);

        assertThat(onTimeEventTimes()).containsExactly(T0, T0 - B);
        assertThat(late()).isEmpty();
    }

    @Test
    void recordOneMillisecondBeyondBoundIsLate() throws Exception {
        push(0, T0);
        push(0, T0 - B - 1);

        assertThat(onTimeEventTimes()).containsExactly(T0);
        assertThat(late()).hasSize(1);
        ErrorEnvelope envelope = late().get(0);
        assertThat(envelope.getReasonCode()).isEqualTo(ReasonCode.LATE);
        assertThat(envelope.getTopic()).isEqualTo("clicks");
        assertThat(envelope.getPartition()).isZero();
        assertThat(envelope.getOffset()).isEqualTo(1L);
        assertThat(envelope.getJob()).isEqualTo("test");
        assertThat(envelope.getEventTime().toEpochMilli()).isEqualTo(T0 - B - 1);
        assertThat(envelope.getValue().array()).containsExactly(2, 3);
    }

    @Test
    void lateRecordDoesNotLowerOrRaiseTheMaximum() throws Exception {
        push(0, T0);
        push(0, T0 - 10 * B); // late
        push(0, T0 - B); // still measured against T0

        assertThat(onTimeEventTimes()).containsExactly(T0, T0 - B);
        assertThat(late()).hasSize(1);
    }

    @Test
    void firstRecordOfAPartitionIsAlwaysOnTime() throws Exception {
        push(0, T0 - 1_000_000);
        assertThat(onTimeEventTimes()).containsExactly(T0 - 1_000_000);
    }

    @Test
    void samePartitionOfAnotherTopicHasItsOwnMaximum() throws Exception {
        // A savepoint restored into a job reading another topic must not judge the new topic's
        // partition 0 against the old topic's partition 0.
        push(harness, record("clicks", 0, T0 + 3_600_000, RecordKind.DATA));
        push(harness, record("clicks-v2", 0, T0, RecordKind.DATA));

        assertThat(onTimeEventTimes()).containsExactly(T0 + 3_600_000, T0);
        assertThat(late()).isEmpty();
        assertThat(LatenessClassifier.partitionKey(record("clicks-v2", 3, T0, RecordKind.DATA)))
                .isEqualTo("clicks-v2/3");
    }

    @Test
    void partitionsAreClassifiedIndependently() throws Exception {
        push(0, T0 + 3_600_000); // partition 0 runs an hour ahead
        push(1, T0); // partition 1 is not late: its own maximum is unset
        push(1, T0 - B);
        push(0, T0); // late on partition 0

        assertThat(onTimeEventTimes()).containsExactly(T0 + 3_600_000, T0, T0 - B);
        assertThat(late()).extracting(ErrorEnvelope::getPartition).containsExactly(0);
    }

    @Test
    void heartbeatAdvancesMaximumAndIsDropped() throws Exception {
        push(harness, record(0, T0 + 60_000, RecordKind.HEARTBEAT));
        push(0, T0);

        assertThat(onTimeEventTimes()).isEmpty();
        assertThat(late())
                .extracting(ErrorEnvelope::getReasonCode)
                .containsExactly(ReasonCode.LATE);
    }

    @Test
    void heartbeatBehindTheMaximumIsDroppedWithoutALateRecord() throws Exception {
        push(0, T0);
        push(harness, record(0, T0 - 10 * B, RecordKind.HEARTBEAT));
        push(0, T0 - B);

        assertThat(late()).isEmpty();
        assertThat(onTimeEventTimes()).containsExactly(T0, T0 - B);
    }

    @Test
    void acceptedRecordsLeaveWithoutTheirOriginalValueBytes() throws Exception {
        push(0, T0);
        assertThat(harness.extractOutputValues().get(0).value).isNull();
        assertThat(harness.extractOutputValues().get(0).key).containsExactly(1);
    }

    @Test
    void restoredStateKeepsClassifyingTheSameWay() throws Exception {
        push(0, T0);
        push(1, T0 + 10_000);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = newHarness(false);
        harness.initializeState(snapshot);
        harness.open();
        push(0, T0 - B); // on time against the restored maximum of partition 0
        push(0, T0 - B - 1); // late against it
        push(1, T0 + 10_000 - B - 1); // late against partition 1's restored maximum

        assertThat(onTimeEventTimes()).containsExactly(T0 - B);
        assertThat(late()).extracting(ErrorEnvelope::getPartition).containsExactly(0, 1);
    }

    @Test
    void withIdlenessRecordsBehindTheWatermarkAreLateAfterIdle() throws Exception {
        harness.close();
        harness = newHarness(true);
        harness.open();
        push(0, T0);
        harness.processWatermark(new Watermark(T0 + 5_000)); // idleness let it run ahead
        push(0, T0 + 1_000); // on time by the rule, but behind the watermark

        assertThat(onTimeEventTimes()).containsExactly(T0);
        assertThat(late())
                .extracting(ErrorEnvelope::getReasonCode)
                .containsExactly(ReasonCode.LATE_AFTER_IDLE);
    }

    @Test
    void withoutIdlenessTheWatermarkIsNeverConsulted() throws Exception {
        push(0, T0);
        harness.processWatermark(new Watermark(T0 + 5_000));
        push(0, T0 + 1_000);

        assertThat(onTimeEventTimes()).containsExactly(T0, T0 + 1_000);
        assertThat(late()).isEmpty();
    }

    @Test
    void countsEachDecisionAndEachPartitionsLateRecordsAndMirrorsItsMaximumInAGauge()
            throws Exception {
        harness.close();
        CapturedMetrics metrics = new CapturedMetrics();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new LatenessClassifier<String>("test", B, false)),
                        LatenessClassifier::partitionKey,
                        Types.STRING,
                        metrics.environment());
        harness.open();
        assertThat(metrics.all()).doesNotContainKey("partition.clicks/0.maxEventTime");

        push(0, T0);
        push(0, T0 - B - 1); // late: the maximum stays
        push(harness, record(0, T0 + 5_000, RecordKind.HEARTBEAT)); // raises it
        push(1, T0 - 60_000);
        push(1, T0 - 59_000);

        assertThat(metrics.count("onTime")).isEqualTo(3);
        assertThat(metrics.count("late")).isEqualTo(1);
        assertThat(metrics.count("lateAfterIdle")).isZero();
        assertThat(metrics.count("heartbeats")).isEqualTo(1);
        assertThat(metrics.gauge("partition.clicks/0.maxEventTime")).isEqualTo(T0 + 5_000);
        assertThat(metrics.gauge("partition.clicks/1.maxEventTime")).isEqualTo(T0 - 59_000);
        assertThat(metrics.count("partition.clicks/0.late")).isEqualTo(1);
        assertThat(metrics.count("partition.clicks/1.late")).isZero();
    }
}
