package io.tidemark.common.runtime.eventtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.runtime.record.RecordKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class InputWatermarksTest {

    private static final long T0 = 1_793_527_200_000L; // 2026-11-01T10:00:00Z

    private static InputRecord<String> record(RecordKind kind, Long eventTime) {
        InputRecord<String> r = new InputRecord<>();
        r.kind = kind;
        r.eventTime = eventTime;
        return r;
    }

    private static List<Long> run(
            WatermarkStrategy<InputRecord<String>> strategy, List<InputRecord<String>> records) {
        var context =
                new org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier.Context() {
                    @Override
                    public org.apache.flink.metrics.MetricGroup getMetricGroup() {
                        return new UnregisteredMetricsGroup();
                    }

                    @Override
                    public org.apache.flink.util.clock.RelativeClock getInputActivityClock() {
                        return org.apache.flink.util.clock.SystemClock.getInstance();
                    }
                };
        TimestampAssigner<InputRecord<String>> assigner =
                strategy.createTimestampAssigner(
                        new org.apache.flink.api.common.eventtime.TimestampAssignerSupplier
                                .Context() {
                            @Override
                            public org.apache.flink.metrics.MetricGroup getMetricGroup() {
                                return new UnregisteredMetricsGroup();
                            }
                        });
        WatermarkGenerator<InputRecord<String>> generator =
                strategy.createWatermarkGenerator(context);
        List<Long> marks = new ArrayList<>();
        WatermarkOutput out =
                new WatermarkOutput() {
                    @Override
                    public void emitWatermark(Watermark watermark) {
                        marks.add(watermark.getTimestamp());
                    }

                    @Override
                    public void markIdle() {}

                    @Override
                    public void markActive() {}
                };
        for (InputRecord<String> r : records) {
            generator.onEvent(r, assigner.extractTimestamp(r, -1), out);
            generator.onPeriodicEmit(out);
        }
        return marks;
    }

    @Test
    void watermarkStaysBoundPlusTwoMillisecondsBehindTheMaximum() {
        List<Long> marks =
                run(
                        InputWatermarks.forBound(Duration.ofSeconds(2), null),
                        List.of(record(RecordKind.DATA, T0)));
        assertThat(marks).last().isEqualTo(T0 - 2_000 - 2);
    }

    @Test
    void badRecordsNeverAdvanceTheWatermark() {
        List<Long> marks =
                run(
                        InputWatermarks.forBound(Duration.ofSeconds(2), null),
                        List.of(
                                record(RecordKind.DATA, T0),
                                record(RecordKind.BAD, T0 + 86_400_000L),
                                record(RecordKind.BAD, null)));
        assertThat(marks).allMatch(m -> m <= T0 - 2_002);
    }

    @Test
    void heartbeatsAdvanceTheWatermark() {
        List<Long> marks =
                run(
                        InputWatermarks.forBound(Duration.ofSeconds(2), null),
                        List.of(
                                record(RecordKind.DATA, T0),
                                record(RecordKind.HEARTBEAT, T0 + 60_000)));
        assertThat(marks).last().isEqualTo(T0 + 60_000 - 2_002);
    }
}
