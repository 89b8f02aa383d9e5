package io.tidemark.common.testing.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.testing.TidemarkMiniCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs a real job over every scenario in {@code sample-data/<job>/} and compares what it committed
 * with the hand-worked expectations next to the input, the same way for every job. A job's {@code
 * <Job>ScenariosITCase} extends this class and names its scenarios, its job and which expected file
 * holds each result topic; it adds the checks of its sample data that only it knows.
 *
 * <p>Each scenario runs in STREAMING (bounded at the offsets latest at start) and in BATCH: the
 * determinism contract says the mode does not change the output. Results compare line by line with
 * their expected files (canonical JSON in the job's sort order); late and DLQ envelopes compare
 * reduced to position and reason ({@code expected-late.jsonl}, {@code expected-dlq.jsonl}; a
 * missing file means the topic must stay empty). Replay creates topics with fixed names, so each
 * run gets its own embedded broker. Tests run with the module directory as working directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ScenarioSuite {

    @RegisterExtension
    protected static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    /** The job's sample scenarios. */
    protected abstract SampleScenarios scenarios();

    /** A fresh instance of the job under test. */
    protected abstract Supplier<? extends TidemarkJob> job();

    /** Result role ({@code output}, {@code output-1m}, …) → the expected file that pins it. */
    protected abstract Map<String, String> expectedFiles();

    /** Every scenario in both execution modes: the expectations do not depend on the mode. */
    Stream<Object[]> runs() {
        return scenarios().runs();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("runs")
    void jobCommitsTheHandWorkedExpectation(String scenario, ExecutionMode mode) throws Exception {
        ScenarioRun run = scenarios().run(job(), scenario, mode);
        String name = job().get().name();
        List<Comparison> comparisons = new ArrayList<>();
        expectedFiles().forEach((role, file) -> comparisons.add(run.output(role, role, file)));
        comparisons.add(run.late(name + "-late"));
        comparisons.add(run.dlq(name + "-dlq"));
        SoftAssertions soft = new SoftAssertions();
        for (Comparison c : comparisons) {
            soft.assertThat(c.actual())
                    .as("%s", c.description())
                    .containsExactlyElementsOf(c.expected());
        }
        soft.assertAll();
    }

    // ------------------------------------------------------------------ sample-data checks

    /**
     * Every expected result file of {@code scenario} exists, holds canonical JSON lines and is
     * sorted by the output key {@code key} gives, with no key twice (results are upserts by key).
     */
    protected void assertExpectedFilesCanonicalAndSortedBy(
            String scenario, Function<JsonNode, String> key) throws IOException {
        Path dir = scenarios().dir(scenario);
        for (String expectedFile : expectedFiles().values()) {
            Path file = dir.resolve(expectedFile);
            assertThat(file).as(scenario).isRegularFile();
            List<String> keys = new ArrayList<>();
            for (String line : SampleScenarios.lines(file)) {
                JsonNode node = AvroJson.MAPPER.readTree(line);
                assertThat(AvroJson.canonical(node))
                        .as("%s/%s: canonical JSON", scenario, expectedFile)
                        .isEqualTo(line);
                keys.add(key.apply(node));
            }
            assertThat(keys)
                    .as("%s/%s: sorted by the output key", scenario, expectedFile)
                    .isSorted()
                    .doesNotHaveDuplicates();
        }
        for (Comparison c : scenarios().errorFilesCanonicalAndSorted(scenario)) {
            assertThat(c.actual()).as("%s", c.description()).isEqualTo(c.expected());
        }
    }

    /** Every line of {@code input} sets {@code _partition} within {@code [0, partitions)}. */
    protected static void assertPinsPartitions(String scenario, Path input, int partitions)
            throws IOException {
        assertThat(input).as(scenario).isRegularFile();
        for (String line : SampleScenarios.lines(input)) {
            JsonNode node = AvroJson.MAPPER.readTree(line);
            assertThat(node.path("_partition").isInt())
                    .as("%s/%s: every line sets _partition: %s", scenario, input, line)
                    .isTrue();
            assertThat(node.get("_partition").asInt())
                    .as("%s/%s: %d partitions per topic: %s", scenario, input, partitions, line)
                    .isBetween(0, partitions - 1);
        }
    }
}
