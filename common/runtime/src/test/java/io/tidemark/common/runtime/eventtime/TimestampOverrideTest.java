package io.tidemark.common.runtime.eventtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.metrics.CapturedMetrics;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.runtime.record.RecordKind;
import java.time.Instant;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class TimestampOverrideTest {

    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();

    private static InputRecord<String> record(long offset, long eventTime) {
        InputRecord<String> r = new InputRecord<>();
        r.topic = "clicks";
        r.partition = 0;
        r.offset = offset;
        r.kind = RecordKind.DATA;
        r.payload = "e";
        r.eventTime = eventTime;
        return r;
    }

    @Test
    void stampsOffsetOrEventTimeAndPassesWatermarksOn() throws Exception {
        try (var offsets =
                        new OneInputStreamOperatorTestHarness<>(
                                new TimestampOverride<String>(TimestampOverride.Source.OFFSET));
                var eventTimes =
                        new OneInputStreamOperatorTestHarness<>(
                                new TimestampOverride<String>(
                                        TimestampOverride.Source.EVENT_TIME))) {
            offsets.open();
            eventTimes.open();
            offsets.processElement(new StreamRecord<>(record(7, T0), 1L));
            eventTimes.processElement(new StreamRecord<>(record(7, T0), 7L));
            eventTimes.processWatermark(new Watermark(T0 - 5));

            assertThat(offsets.extractOutputStreamRecords())
                    .extracting(StreamRecord::getTimestamp)
                    .containsExactly(7L);
            assertThat(eventTimes.extractOutputStreamRecords())
                    .extracting(StreamRecord::getTimestamp)
                    .containsExactly(T0);
            assertThat(eventTimes.getOutput()).contains(new Watermark(T0 - 5));
        }
    }

    @Test
    void afterTheClassifierReportsHowFarTheWatermarkTrailsTheData() throws Exception {
        CapturedMetrics metrics = new CapturedMetrics();
        try (var harness =
                new OneInputStreamOperatorTestHarness<>(
                        new TimestampOverride<String>(TimestampOverride.Source.EVENT_TIME),
                        metrics.environment())) {
            harness.open();
            assertThat(metrics.gauge("watermarkLag")).isEqualTo(0L); // nothing seen yet

            harness.processElement(new StreamRecord<>(record(0, T0), 0L));
            assertThat(metrics.gauge("watermarkLag")).isEqualTo(Long.MAX_VALUE); // no watermark

            harness.processWatermark(new Watermark(T0 - 2_002));
            assertThat(metrics.gauge("watermarkLag")).isEqualTo(2_002L);

            harness.processElement(new StreamRecord<>(record(1, T0 + 10_000), 1L));
            harness.processElement(new StreamRecord<>(record(2, T0 + 1_000), 2L));
            assertThat(metrics.gauge("watermarkLag")).isEqualTo(12_002L);

            harness.processWatermark(new Watermark(Long.MAX_VALUE)); // end of input
            assertThat(metrics.gauge("watermarkLag")).isEqualTo(0L);
        }
    }

    @Test
    void theOffsetStampReportsNoLag() throws Exception {
        CapturedMetrics metrics = new CapturedMetrics();
        try (var harness =
                new OneInputStreamOperatorTestHarness<>(
                        new TimestampOverride<String>(TimestampOverride.Source.OFFSET),
                        metrics.environment())) {
            harness.open();
            assertThat(metrics.all()).doesNotContainKey("watermarkLag");
        }
    }
}
