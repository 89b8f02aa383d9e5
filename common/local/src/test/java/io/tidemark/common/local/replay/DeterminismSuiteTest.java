package io.tidemark.common.local.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DeterminismSuiteTest {

    private static ReplayResult result(List<String> output, List<String> late) {
        return new ReplayResult(
                new TreeMap<>(Map.of("output", output)), late, List.of(), new TreeMap<>());
    }

    @Test
    void identicalRunsHaveNoDifferences() {
        ReplayResult run = result(List.of("{\"k\":1}"), List.of());
        assertThat(DeterminismSuite.differences(run, run, 5)).isEmpty();
    }

    @Test
    void differencesNameTheTopicAndShowMissingAndUnexpectedLines() {
        ReplayResult expected = result(List.of("{\"k\":1}", "{\"k\":2}"), List.of("{\"o\":7}"));
        ReplayResult actual = result(List.of("{\"k\":1}", "{\"k\":3}"), List.of("{\"o\":7}"));

        assertThat(DeterminismSuite.differences(expected, actual, 5))
                .containsExactly(
                        "output: 2 expected, 2 committed, 1 missing, 1 unexpected",
                        "  - {\"k\":2}",
                        "  + {\"k\":3}");
    }

    @Test
    void aDifferenceInTheLateRecordsCountsToo() {
        ReplayResult expected = result(List.of(), List.of("{\"o\":7}"));
        ReplayResult actual = result(List.of(), List.of());

        assertThat(DeterminismSuite.differences(expected, actual, 5))
                .first()
                .isEqualTo("late: 1 expected, 0 committed, 1 missing, 0 unexpected");
    }
}
