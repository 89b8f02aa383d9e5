package io.tidemark.common.runtime.eventtime;

import static org.assertj.core.api.Assertions.assertThat;

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
        r.topic = "clicks-late";
        r.partition = 0;
        r.offset = offset;
        r.kind = RecordKind.DATA;
        r.payload = "e";
        r.eventTime = eventTime;
        return r;
    }

    @Test
    void stampsTheEventTimeAndPassesWatermarksOn() throws Exception {
        try (var harness =
                new OneInputStreamOperatorTestHarness<>(new TimestampOverride<String>())) {
            harness.open();
            harness.processElement(new StreamRecord<>(record(7, T0), 7L));
            harness.processWatermark(new Watermark(T0 - 5));

            assertThat(harness.extractOutputStreamRecords())
                    .extracting(StreamRecord::getTimestamp)
                    .containsExactly(T0);
            assertThat(harness.getOutput()).contains(new Watermark(T0 - 5));
        }
    }
}
