package io.tidemark.common.runtime.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.metrics.CapturedMetrics;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.runtime.record.RecordKind;
import io.tidemark.common.schemas.ReasonCode;
import java.time.Instant;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ValidationRouterTest {

    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();

    private static InputRecord<String> good(long offset, long eventTime) {
        InputRecord<String> r = new InputRecord<>();
        r.topic = "clicks";
        r.partition = 0;
        r.offset = offset;
        r.kind = RecordKind.DATA;
        r.payload = "e";
        r.eventTime = eventTime;
        return r;
    }

    private static InputRecord<String> bad(long offset, ReasonCode reason) {
        InputRecord<String> r = new InputRecord<>();
        r.topic = "clicks";
        r.partition = 0;
        r.offset = offset;
        r.key = new byte[] {1};
        r.value = new byte[] {2};
        r.kind = RecordKind.BAD;
        r.reason = reason;
        r.message = "bad";
        return r;
    }

    @Test
    void countsReadRecordsAndDlqRecordsPerReasonAndTracksTheLargestValidEventTime()
            throws Exception {
        CapturedMetrics metrics = new CapturedMetrics();
        try (var harness =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(new ValidationRouter<String>("test")),
                        metrics.environment())) {
            harness.open();
            // Every reason is registered up front, so a dashboard sees 0 rather than nothing.
            for (ReasonCode reason : ReasonCode.values()) {
                assertThat(metrics.count("reason." + reason.name() + ".dlq")).isZero();
            }
            assertThat(metrics.gauge("maxEventTime")).isEqualTo(Long.MIN_VALUE);

            harness.processElement(new StreamRecord<>(good(0, T0), 0L));
            harness.processElement(new StreamRecord<>(bad(1, ReasonCode.MISSING_KEY), 0L));
            harness.processElement(new StreamRecord<>(bad(2, ReasonCode.MISSING_KEY), 0L));
            harness.processElement(new StreamRecord<>(bad(3, ReasonCode.INVALID_FIELD), 0L));
            harness.processElement(new StreamRecord<>(good(4, T0 - 1_000), 0L));

            assertThat(metrics.count("read")).isEqualTo(5);
            assertThat(metrics.count("reason.MISSING_KEY.dlq")).isEqualTo(2);
            assertThat(metrics.count("reason.INVALID_FIELD.dlq")).isEqualTo(1);
            assertThat(metrics.count("reason.DESERIALIZATION_FAILED.dlq")).isZero();
            assertThat(metrics.gauge("maxEventTime")).isEqualTo(T0);
            assertThat(harness.getSideOutput(ValidationRouter.DLQ)).hasSize(3);
        }
    }
}
