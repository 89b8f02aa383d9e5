package io.tidemark.jobs.sessionization.functions;

import static io.tidemark.jobs.sessionization.functions.Clicks.at;
import static io.tidemark.jobs.sessionization.functions.Clicks.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.schemas.Click;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicateByEventIdTest {

    private KeyedOneInputStreamOperatorTestHarness<String, Click, Click> harness;

    private static KeyedOneInputStreamOperatorTestHarness<String, Click, Click> newHarness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateByEventId()),
                Click::getEventId,
                Types.STRING);
    }

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void push(Click click) throws Exception {
        harness.processElement(new StreamRecord<>(click, click.getEventTime().toEpochMilli()));
    }

    @Test
    void firstCopyPassesLaterCopiesAreDropped() throws Exception {
        push(view("c-1", "u-1", 0));
        push(view("c-2", "u-1", 1_000));
        push(view("c-1", "u-1", 0));

        assertThat(harness.extractOutputValues())
                .extracting(Click::getEventId)
                .containsExactly("c-1", "c-2");
    }

    @Test
    void stateAndTimerAreClearedWhenTheWatermarkPassesTheEventTime() throws Exception {
        push(view("c-1", "u-1", 0));
        push(view("c-2", "u-1", 5_000));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.processWatermark(new Watermark(at(0)));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(new Watermark(at(5_000)));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void seenIdsSurviveASnapshotAndRestore() throws Exception {
        push(view("c-1", "u-1", 0));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        push(view("c-1", "u-1", 0));
        push(view("c-3", "u-1", 10));

        assertThat(harness.extractOutputValues())
                .extracting(Click::getEventId)
                .containsExactly("c-3");
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);
    }
}
