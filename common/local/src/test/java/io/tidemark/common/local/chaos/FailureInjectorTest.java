package io.tidemark.common.local.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class FailureInjectorTest {

    @Test
    void failsAfterACheckpointCompletesInTheFirstAttemptsOnly() throws Exception {
        int before = FailureInjector.INJECTED.get();
        try (var harness =
                new OneInputStreamOperatorTestHarness<>(
                        new StreamMap<>(new FailureInjector<String>(1, 7L)))) {
            harness.open();
            harness.processElement(new StreamRecord<>("a", 1L));
            assertThat(harness.extractOutputValues()).containsExactly("a");
            assertThatThrownBy(
                            () -> {
                                for (long id = 1; id <= 3; id++) {
                                    harness.notifyOfCompletedCheckpoint(id);
                                }
                            })
                    .hasStackTraceContaining("injected failure in attempt 0");
        }
        assertThat(FailureInjector.INJECTED.get() - before).isEqualTo(1);
    }
}
