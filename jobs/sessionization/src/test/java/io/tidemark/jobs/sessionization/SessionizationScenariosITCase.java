package io.tidemark.jobs.sessionization;

import static io.tidemark.common.testing.scenario.SampleScenarios.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.scenario.Comparison;
import io.tidemark.common.testing.scenario.EnvelopeReader;
import io.tidemark.common.testing.scenario.SampleScenarios;
import io.tidemark.common.testing.scenario.ScenarioRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real job over every scenario in {@code sample-data/sessionization/} and compares what it
 * committed with the hand-worked expectations next to the input:
 *
 * <ul>
 *   <li>{@code expected.jsonl}: the {@code user-sessions} output, canonical JSON sorted by
 *       sessionId, compared line by line;
 *   <li>{@code expected-late.jsonl} / {@code expected-dlq.jsonl}: one {@code
 *       {"offset":…,"partition":…,"reasonCode":…}} per envelope, sorted by partition and offset;
 *       only these three fields of the envelopes are compared (the message and the base64 bytes are
 *       not hand-written). A missing file means the topic must stay empty.
 * </ul>
 *
 * <p>Each scenario runs in STREAMING (bounded at the offsets latest at start) and in BATCH: the
 * determinism contract says the mode does not change the output, and BATCH is where the lateness
 * classifier depends on the offset re-stamping (DESIGN.md §1). Replay creates topics with fixed
 * names, so each run gets its own embedded broker. Tests run with the module directory as working
 * directory.
 */
class SessionizationScenariosITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

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

    /** Every scenario in both execution modes: the expectations do not depend on the mode. */
    static Stream<Object[]> runs() {
        return SCENARIOS.runs();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("runs")
    void jobCommitsTheHandWorkedExpectation(String scenario, ExecutionMode mode) throws Exception {
        ScenarioRun run = SCENARIOS.run(SessionizationJob::new, scenario, mode);
        SoftAssertions soft = new SoftAssertions();
        for (Comparison c :
                List.of(
                        run.output("output", "user-sessions", "expected.jsonl"),
                        run.late("sessionization-late"),
                        run.dlq("sessionization-dlq"))) {
            soft.assertThat(c.actual())
                    .as("%s", c.description())
                    .containsExactlyElementsOf(c.expected());
        }
        soft.assertAll();
    }

    /** Cheap checks of the sample data itself, so a broken scenario fails before any job runs. */
    @Test
    void everyScenarioIsCompleteAndPinsItsPartitions() throws IOException {
        List<String> present = SCENARIOS.names().toList();
        assertThat(present).as("scenario folders").containsAll(REQUIRED);
        for (String scenario : present) {
            Path dir = SCENARIOS.dir(scenario);
            assertThat(dir.resolve("input.jsonl")).as(scenario).isRegularFile();
            assertThat(dir.resolve("expected.jsonl")).as(scenario).isRegularFile();
            assertThat(dir.resolve("README.md")).as(scenario).isRegularFile();
            List<String> input = lines(dir.resolve("input.jsonl"));
            assertThat(input).as("%s: 5–25 input lines", scenario).hasSizeBetween(5, 25);
            for (String line : input) {
                JsonNode node = AvroJson.MAPPER.readTree(line);
                assertThat(node.has("_partition"))
                        .as("%s: every line sets _partition: %s", scenario, line)
                        .isTrue();
            }
            for (String line : lines(dir.resolve("expected.jsonl"))) {
                assertThat(AvroJson.canonical(AvroJson.MAPPER.readTree(line)))
                        .as("%s: expected.jsonl lines are canonical JSON", scenario)
                        .isEqualTo(line);
            }
        }
    }
}
