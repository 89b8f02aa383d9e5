package io.tidemark.common.runtime.eventtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.metrics.CapturedMetrics;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.runtime.record.RecordKind;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import java.time.Instant;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class LateAfterIdleTest {

    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();

    private static StreamRecord<InputRecord<String>> record(long offset, long eventTime) {
        InputRecord<String> r = new InputRecord<>();
        r.topic = "clicks";
        r.partition = 0;
        r.offset = offset;
        r.recordTimestamp = eventTime;
        r.key = new byte[] {1};
        r.value = new byte[] {2, 3};
        r.kind = RecordKind.DATA;
        r.payload = "e@" + eventTime;
        r.eventTime = eventTime;
        return new StreamRecord<>(r, eventTime);
    }

    @Test
    void recordBehindTheWatermarkGoesToTheLateTopicWithItsBytesAndTheRestPassesWithout()
            throws Exception {
        CapturedMetrics metrics = new CapturedMetrics();
        try (var harness =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(new LateAfterIdle<String>("test")),
                        metrics.environment())) {
            harness.open();
            harness.processWatermark(new Watermark(T0 + 5_000)); // idleness let it run ahead
            harness.processElement(record(0, T0 + 1_000));
            harness.processElement(record(1, T0 + 5_000)); // at the watermark: a window dropped it
            harness.processElement(record(2, T0 + 5_001));

            assertThat(harness.extractOutputValues())
                    .extracting(r -> r.eventTime)
                    .containsExactly(T0 + 5_001);
            assertThat(harness.extractOutputValues().get(0).value).isNull();
            assertThat(harness.getSideOutput(LatenessClassifier.LATE))
                    .extracting(StreamRecord::getValue)
                    .allSatisfy(
                            envelope -> {
                                assertThat(envelope.getReasonCode())
                                        .isEqualTo(ReasonCode.LATE_AFTER_IDLE);
                                assertThat(envelope.getValue().array()).containsExactly(2, 3);
                            })
                    .extracting(ErrorEnvelope::getOffset)
                    .containsExactly(0L, 1L);
            assertThat(metrics.count("lateAfterIdle")).isEqualTo(2);
        }
    }
}
