package io.tidemark.jobs.sessionization;

import static io.tidemark.common.testing.scenario.SampleScenarios.lines;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.testing.scenario.EnvelopeReader;
import io.tidemark.common.testing.scenario.SampleScenarios;
import io.tidemark.common.testing.scenario.ScenarioSuite;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The sessionization job over every scenario in {@code sample-data/sessionization/} ({@link
 * ScenarioSuite}): {@code input.jsonl} written in file order to the 2-partition {@code clicks}
 * topic; {@code expected.jsonl} the {@code user-sessions} output sorted by sessionId; late and DLQ
 * envelopes as {@code {"offset":…,"partition":…,"reasonCode":…}}. BATCH matters here in particular:
 * it is where the lateness classifier depends on the offset re-stamping (DESIGN.md §1).
 */
class SessionizationScenariosITCase extends ScenarioSuite {

    static final SampleScenarios SCENARIOS =
            SampleScenarios.of("sessionization", EnvelopeReader.withoutTopics())
                    .readingInput("input.jsonl");

    /** The scenarios the sample data must keep; any further folder is run as well. */
    static final List<String> REQUIRED =
            List.of(
                    "in-order",
                    "out-of-order-within-bound",
                    "late-beyond-bound",
                    "late-event-bridges-sessions",
                    "duplicates",
                    "bad-records",
                    "partition-runs-ahead");

    @Override
    protected SampleScenarios scenarios() {
        return SCENARIOS;
    }

    @Override
    protected Supplier<? extends TidemarkJob> job() {
        return SessionizationJob::new;
    }

    @Override
    protected Map<String, String> expectedFiles() {
        return Map.of("output", "expected.jsonl");
    }

    /** Cheap checks of the sample data itself, so a broken scenario fails before any job runs. */
    @Test
    void everyScenarioIsCompleteAndPinsItsPartitions() throws IOException {
        List<String> present = SCENARIOS.names().toList();
        assertThat(present).as("scenario folders").containsAll(REQUIRED);
        for (String scenario : present) {
            Path dir = SCENARIOS.dir(scenario);
            assertThat(dir.resolve("README.md")).as(scenario).isRegularFile();
            assertPinsPartitions(scenario, dir.resolve("input.jsonl"), 2);
            assertThat(lines(dir.resolve("input.jsonl")))
                    .as("%s: 5–25 input lines", scenario)
                    .hasSizeBetween(5, 25);
            assertExpectedFilesCanonicalAndSortedBy(
                    scenario, session -> session.get("sessionId").asText());
        }
    }
}
