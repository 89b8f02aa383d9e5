package io.tidemark.common.runtime.eventtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.metrics.CapturedMetrics;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.runtime.record.RecordKind;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LatenessClassifierTest {

    private static final long B = 2_000L;
    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();

    private OneInputStreamOperatorTestHarness<InputRecord<String>, InputRecord<String>> harness;
    private long nextOffset;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static OneInputStreamOperatorTestHarness<InputRecord<String>, InputRecord<String>>
            newHarness() throws Exception {
        return newHarness(1, 0);
    }

    /** Subtask {@code index} of {@code parallelism}, max parallelism 128. */
    private static OneInputStreamOperatorTestHarness<InputRecord<String>, InputRecord<String>>
            newHarness(int parallelism, int index) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new LatenessClassifier<String>("test", B, false), 128, parallelism, index);
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
            OneInputStreamOperatorTestHarness<InputRecord<String>, InputRecord<String>> h,
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

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        push(0, T0 - B); // on time against the restored maximum of partition 0
        push(0, T0 - B - 1); // late against it
        push(1, T0 + 10_000 - B - 1); // late against partition 1's restored maximum

        assertThat(onTimeEventTimes()).containsExactly(T0 - B);
        assertThat(late()).extracting(ErrorEnvelope::getPartition).containsExactly(0, 1);
    }

    @Test
    void theWatermarkIsNeverConsulted() throws Exception {
        push(0, T0);
        harness.processWatermark(new Watermark(T0 + 5_000));
        push(0, T0 + 1_000);

        assertThat(onTimeEventTimes()).containsExactly(T0, T0 + 1_000);
        assertThat(late()).isEmpty();
        assertThat(harness.getOutput()).contains(new Watermark(T0 + 5_000));
    }

    @Test
    void afterRescalingEverySubtaskJudgesAPartitionAgainstTheMaximumItsOwnerHad() throws Exception {
        // At p=2 the source gave partition 0 to subtask 0 and partition 1 to subtask 1.
        OperatorSubtaskState[] snapshots = new OperatorSubtaskState[2];
        long[] maxima = {T0, T0 + 10_000};
        for (int subtask = 0; subtask < 2; subtask++) {
            try (var h = newHarness(2, subtask)) {
                h.open();
                push(h, record(subtask, maxima[subtask], RecordKind.DATA));
                snapshots[subtask] = h.snapshot(1L, 1L);
            }
        }
        OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repackageState(snapshots);

        // Restored at p=3, any subtask may be handed either partition.
        for (int subtask = 0; subtask < 3; subtask++) {
            try (var h = newHarness(3, subtask)) {
                h.initializeState(
                        AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                merged, 128, 2, 3, subtask));
                h.open();
                push(h, record(0, T0 - B, RecordKind.DATA)); // on time against T0
                push(h, record(1, T0 + 10_000 - B - 1, RecordKind.DATA)); // late against T0 + 10 s
                assertThat(h.extractOutputValues())
                        .as("subtask %d of 3", subtask)
                        .extracting(r -> r.eventTime)
                        .containsExactly(T0 - B);
                assertThat(h.getSideOutput(LatenessClassifier.LATE))
                        .as("subtask %d of 3", subtask)
                        .extracting(r -> r.getValue().getPartition())
                        .containsExactly(1);
            }
        }
    }

    @Test
    void aRestoredMaximumOfAPartitionNotReadSinceIsCheckpointedAgain() throws Exception {
        push(0, T0);
        OperatorSubtaskState first = harness.snapshot(1L, 1L);
        harness.close();

        // Restored, but partition 0 gets no record before the next checkpoint.
        harness = newHarness();
        harness.initializeState(first);
        harness.open();
        push(1, T0);
        OperatorSubtaskState second = harness.snapshot(2L, 2L);
        harness.close();

        harness = newHarness();
        harness.initializeState(second);
        harness.open();
        push(0, T0 - B - 1);

        assertThat(late()).extracting(ErrorEnvelope::getPartition).containsExactly(0);
    }

    @Test
    void countsEachDecisionAndEachPartitionsLateRecordsAndMirrorsItsMaximumInAGauge()
            throws Exception {
        harness.close();
        CapturedMetrics metrics = new CapturedMetrics();
        harness =
                new OneInputStreamOperatorTestHarness<>(
                        new LatenessClassifier<String>("test", B, false), metrics.environment());
        harness.open();
        assertThat(metrics.all()).doesNotContainKey("partition.clicks/0.maxEventTime");

        push(0, T0);
        push(0, T0 - B - 1); // late: the maximum stays
        push(harness, record(0, T0 + 5_000, RecordKind.HEARTBEAT)); // raises it
        push(1, T0 - 60_000);
        push(1, T0 - 59_000);

        assertThat(metrics.count("onTime")).isEqualTo(3);
        assertThat(metrics.count("late")).isEqualTo(1);
        assertThat(metrics.count("heartbeats")).isEqualTo(1);
        assertThat(metrics.gauge("partition.clicks/0.maxEventTime")).isEqualTo(T0 + 5_000);
        assertThat(metrics.gauge("partition.clicks/1.maxEventTime")).isEqualTo(T0 - 59_000);
        assertThat(metrics.count("partition.clicks/0.late")).isEqualTo(1);
        assertThat(metrics.count("partition.clicks/1.late")).isZero();
    }

    @Test
    void reportsHowFarTheWatermarkTrailsTheOnTimeData() throws Exception {
        harness.close();
        CapturedMetrics metrics = new CapturedMetrics();
        harness =
                new OneInputStreamOperatorTestHarness<>(
                        new LatenessClassifier<String>("test", B, false), metrics.environment());
        harness.open();
        assertThat(metrics.gauge("watermarkLag")).isEqualTo(0L); // nothing seen yet

        push(0, T0);
        assertThat(metrics.gauge("watermarkLag")).isEqualTo(Long.MAX_VALUE); // no watermark

        assertThat(metrics.gauge("watermark")).isEqualTo(Long.MIN_VALUE);
        harness.processWatermark(new Watermark(T0 - 2_002));
        assertThat(metrics.gauge("watermarkLag")).isEqualTo(2_002L);
        assertThat(metrics.gauge("watermark")).isEqualTo(T0 - 2_002);

        push(1, T0 + 10_000);
        push(0, T0 - 100 * B); // late: not passed on, so not part of the lag
        assertThat(metrics.gauge("watermarkLag")).isEqualTo(12_002L);

        harness.processWatermark(new Watermark(Long.MAX_VALUE)); // end of input
        assertThat(metrics.gauge("watermarkLag")).isEqualTo(0L);
    }
}
