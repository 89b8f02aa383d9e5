package io.tidemark.jobs.revenue;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real revenue job over every scenario in {@code sample-data/revenue/} and compares what
 * it committed with the hand-worked expectations next to the input:
 *
 * <ul>
 *   <li>{@code orders.jsonl}, {@code products.jsonl}, {@code customers.jsonl}: the three inputs,
 *       each written in file order to its 2-partition topic;
 *   <li>{@code expected-1m.jsonl} / {@code expected-1h.jsonl}: the {@code revenue-1m} and {@code
 *       revenue-1h} outputs (final value per key), canonical JSON sorted by the output key {@code
 *       category|region|currency|windowStart}, compared line by line;
 *   <li>{@code expected-late.jsonl} / {@code expected-dlq.jsonl}: one {@code
 *       {"offset":…,"partition":…,"reasonCode":…,"topic":…}} per envelope; only these four fields
 *       are compared, as lists sorted by topic, partition and offset. A missing file means the
 *       topic must stay empty.
 * </ul>
 *
 * <p>Each scenario runs in STREAMING (bounded at the offsets latest at start) and in BATCH: the
 * determinism contract says the mode does not change the output. Each run gets its own embedded
 * broker (Replay creates topics with fixed names). Tests run with the module directory as working
 * directory.
 */
class RevenueScenariosITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    static final SampleScenarios SCENARIOS =
            SampleScenarios.of("revenue", EnvelopeReader.withTopics());

    /** The scenarios the sample data must keep; any further folder is run as well. */
    static final List<String> REQUIRED =
            List.of(
                    "order-at-minute-boundary",
                    "orders-spanning-categories",
                    "several-currencies",
                    "product-changes-category-mid-hour",
                    "unknown-product",
                    "late-order-beyond-bound",
                    "empty-minute");

    static final List<String> INPUTS = List.of("orders", "products", "customers");

    /** Output role → the file holding its expectation. */
    static final Map<String, String> OUTPUTS =
            Map.of("output-1m", "expected-1m.jsonl", "output-1h", "expected-1h.jsonl");

    /** Every scenario in both execution modes: the expectations do not depend on the mode. */
    static Stream<Object[]> runs() {
        return SCENARIOS.runs();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("runs")
    void jobCommitsTheHandWorkedExpectation(String scenario, ExecutionMode mode) throws Exception {
        ScenarioRun run = SCENARIOS.run(RevenueJob::new, scenario, mode);
        List<Comparison> comparisons = new ArrayList<>();
        for (String role : List.of("output-1m", "output-1h")) {
            comparisons.add(run.output(role, role, OUTPUTS.get(role)));
        }
        comparisons.add(run.late("revenue-late"));
        comparisons.add(run.dlq("revenue-dlq"));
        SoftAssertions soft = new SoftAssertions();
        for (Comparison c : comparisons) {
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
            assertThat(dir.resolve("README.md")).as(scenario).isRegularFile();
            for (String input : INPUTS) {
                Path file = dir.resolve(input + ".jsonl");
                assertThat(file).as(scenario).isRegularFile();
                for (String line : lines(file)) {
                    JsonNode node = AvroJson.MAPPER.readTree(line);
                    assertThat(node.path("_partition").isInt())
                            .as("%s/%s: every line sets _partition: %s", scenario, input, line)
                            .isTrue();
                    assertThat(node.get("_partition").asInt())
                            .as("%s/%s: 2 partitions per topic: %s", scenario, input, line)
                            .isBetween(0, 1);
                }
            }
            for (String expectedFile : OUTPUTS.values()) {
                Path file = dir.resolve(expectedFile);
                assertThat(file).as(scenario).isRegularFile();
                List<String> keys = new ArrayList<>();
                for (String line : lines(file)) {
                    JsonNode node = AvroJson.MAPPER.readTree(line);
                    assertThat(AvroJson.canonical(node))
                            .as("%s/%s: canonical JSON", scenario, expectedFile)
                            .isEqualTo(line);
                    keys.add(outputKey(node));
                }
                assertThat(keys)
                        .as(
                                "%s/%s: sorted by category|region|currency|windowStart",
                                scenario, expectedFile)
                        .isSorted()
                        .doesNotHaveDuplicates();
            }
            for (Comparison c : SCENARIOS.errorFilesCanonicalAndSorted(scenario)) {
                assertThat(c.actual()).as("%s", c.description()).isEqualTo(c.expected());
            }
        }
    }

    private static String outputKey(JsonNode n) {
        return n.get("category").asText()
                + "|"
                + n.get("region").asText()
                + "|"
                + n.get("currency").asText()
                + "|"
                + n.get("windowStart").asText();
    }
}
