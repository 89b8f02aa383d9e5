package io.tidemark.common.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.metrics.CapturedMetrics;
import io.tidemark.common.runtime.record.ErrorEnvelopes;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.runtime.record.RecordKind;
import io.tidemark.common.runtime.record.TestClicks;
import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --include-late} turns the live job's LATE envelopes back into input records: driven by a
 * harness, only LATE envelopes of the input's own topic come back, each exactly as it was read
 * (partition, offset, record timestamp, key, payload, event time), and nothing else does. What
 * cannot be replayed — a late-topic record that is not an envelope, a LATE envelope whose value is
 * missing, does not decode or has no event time — goes to the DLQ with a reason, counted.
 */
class LateReplayTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private static final String LATE_TOPIC = "sessionization-late";

    private OneInputStreamOperatorTestHarness<ErrorEnvelope, InputRecord<Click>> harness;
    private CapturedMetrics metrics;

    @BeforeEach
    void setUp() throws Exception {
        metrics = new CapturedMetrics();
        harness =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(
                                new LateReplay.ToInputRecord<>(
                                        new TestClicks(), "clicks", LATE_TOPIC, "backfill")),
                        metrics.environment());
        harness.open();
    }

    private List<ErrorEnvelope> dlq() {
        return harness.getSideOutput(LateReplay.DLQ) == null
                ? List.of()
                : harness.getSideOutput(LateReplay.DLQ).stream().map(r -> r.getValue()).toList();
    }

    /** What the late topic's deserializer makes of a record. */
    private static List<ErrorEnvelope> deserialize(byte[] value) throws Exception {
        LateReplay.EnvelopeDeserializer deserializer =
                new LateReplay.EnvelopeDeserializer("backfill");
        deserializer.open(null);
        List<ErrorEnvelope> out = new ArrayList<>();
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>(LATE_TOPIC, 1, 7, "k".getBytes(StandardCharsets.UTF_8), value);
        deserializer.deserialize(
                record,
                new Collector<>() {
                    @Override
                    public void collect(ErrorEnvelope envelope) {
                        out.add(envelope);
                    }

                    @Override
                    public void close() {}
                });
        return out;
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** The envelope the live job wrote for a record read at {@code partition/offset}. */
    private static ErrorEnvelope envelope(
            String topic, int partition, long offset, ReasonCode reason, byte[] value) {
        InputRecord<Click> read = new InputRecord<>();
        read.topic = topic;
        read.partition = partition;
        read.offset = offset;
        read.recordTimestamp = T0.toEpochMilli() + offset;
        read.key = "u-1".getBytes(StandardCharsets.UTF_8);
        read.value = value;
        return ErrorEnvelopes.of(read, reason, reason.name(), "sessionization");
    }

    private static byte[] encoded(Click click) {
        return SingleObjectCodec.of(Click.class).encode(click);
    }

    private void push(ErrorEnvelope envelope) throws Exception {
        harness.processElement(new StreamRecord<>(envelope));
    }

    @Test
    void lateEnvelopeOfTheInputComesBackAsTheRecordItCarried() throws Exception {
        Click late = TestClicks.click("c-7", T0.minusSeconds(10));
        push(envelope("clicks", 3, 41, ReasonCode.LATE, encoded(late)));

        List<InputRecord<Click>> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        InputRecord<Click> record = out.get(0);
        assertThat(record.topic).isEqualTo("clicks");
        assertThat(record.partition).isEqualTo(3);
        assertThat(record.offset).isEqualTo(41);
        assertThat(record.recordTimestamp).isEqualTo(T0.toEpochMilli() + 41);
        assertThat(new String(record.key, StandardCharsets.UTF_8)).isEqualTo("u-1");
        assertThat(record.kind).isEqualTo(RecordKind.DATA);
        assertThat(record.payload).isEqualTo(late);
        assertThat(record.eventTime).isEqualTo(late.getEventTime().toEpochMilli());
    }

    @Test
    void envelopesOfOtherTopicsAndOtherReasonsAreNotThisInputsToReplay() throws Exception {
        byte[] value = encoded(TestClicks.click("c-1", T0));
        push(envelope("other-topic", 0, 1, ReasonCode.LATE, value));
        push(envelope("clicks", 0, 2, ReasonCode.LATE_AFTER_IDLE, value));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(dlq()).isEmpty();
    }

    @Test
    void lateEnvelopesThatCannotBeReplayedGoToTheDlqWithAReasonAndAreCounted() throws Exception {
        byte[] notAvro = "not avro".getBytes(StandardCharsets.UTF_8);
        push(envelope("clicks", 0, 3, ReasonCode.LATE, notAvro));
        push(envelope("clicks", 0, 4, ReasonCode.LATE, null));
        push(envelope("clicks", 0, 5, ReasonCode.LATE, encoded(TestClicks.click("c-2", null))));

        assertThat(harness.extractOutputValues()).isEmpty();
        List<ErrorEnvelope> dlq = dlq();
        assertThat(dlq)
                .extracting(ErrorEnvelope::getReasonCode)
                .containsExactly(
                        ReasonCode.DESERIALIZATION_FAILED,
                        ReasonCode.DESERIALIZATION_FAILED,
                        ReasonCode.MISSING_EVENT_TIME);
        // The original record: its bytes, source topic, partition and offset, for a replay (§6).
        assertThat(dlq)
                .extracting(ErrorEnvelopes::key)
                .containsExactly("clicks/0/3", "clicks/0/4", "clicks/0/5");
        assertThat(dlq.get(0).getValue().array()).isEqualTo(notAvro);
        assertThat(dlq).allSatisfy(e -> assertThat(e.getMessage()).startsWith("late replay: "));
        assertThat(dlq).allSatisfy(e -> assertThat(e.getJob()).isEqualTo("backfill"));
        assertThat(metrics.count("reason.DESERIALIZATION_FAILED.dlq")).isEqualTo(2);
        assertThat(metrics.count("reason.MISSING_EVENT_TIME.dlq")).isEqualTo(1);
    }

    @Test
    void aLateTopicRecordThatIsNotAnEnvelopeGoesToTheDlqNamingTheLateTopic() throws Exception {
        byte[] garbage = "{\"not\": \"an envelope\"}".getBytes(StandardCharsets.UTF_8);
        List<ErrorEnvelope> read = deserialize(garbage);
        assertThat(read).hasSize(1);
        assertThat(deserialize(null)).hasSize(1);

        push(read.get(0));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(dlq()).hasSize(1);
        ErrorEnvelope envelope = dlq().get(0);
        assertThat(envelope.getReasonCode()).isEqualTo(ReasonCode.DESERIALIZATION_FAILED);
        assertThat(ErrorEnvelopes.key(envelope)).isEqualTo(LATE_TOPIC + "/1/7");
        assertThat(envelope.getValue().array()).isEqualTo(garbage);
        assertThat(envelope.getMessage()).startsWith("late replay: not an ErrorEnvelope");
        assertThat(metrics.count("reason.DESERIALIZATION_FAILED.dlq")).isEqualTo(1);
    }

    @Test
    void lateRecordsComeBackInTheOrderTheirEnvelopesAreRead() throws Exception {
        for (int offset = 0; offset < 100; offset++) {
            push(
                    envelope(
                            "clicks",
                            offset % 4,
                            offset,
                            ReasonCode.LATE,
                            encoded(TestClicks.click("c-" + offset, T0.plusMillis(offset)))));
        }

        assertThat(harness.extractOutputValues())
                .extracting(r -> r.offset)
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.range(0, 100).boxed().toList());
    }
}
