package io.tidemark.jobs.enrichment;

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
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real enrichment job over every scenario in {@code sample-data/enrichment/} and compares
 * what it committed with the hand-worked expectations next to the input:
 *
 * <ul>
 *   <li>{@code orders.jsonl}, {@code products.jsonl}, {@code customers.jsonl}: the three inputs,
 *       each written in file order to its 2-partition topic;
 *   <li>{@code expected.jsonl}: the {@code orders-enriched} output, canonical JSON sorted by
 *       orderId, compared line by line;
 *   <li>{@code expected-late.jsonl} / {@code expected-dlq.jsonl}: one {@code
 *       {"offset":…,"partition":…,"reasonCode":…,"topic":…}} per envelope; only these four fields
 *       of the envelopes are compared (the message and the base64 bytes are not hand-written), as
 *       lists sorted by topic, partition and offset. A missing file means the topic must stay
 *       empty.
 * </ul>
 *
 * <p>Each scenario runs in STREAMING (bounded at the offsets latest at start) and in BATCH: the
 * determinism contract says the mode does not change the output. Replay creates topics with fixed
 * names, so each run gets its own embedded broker. Tests run with the module directory as working
 * directory.
 */
class EnrichmentScenariosITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    static final SampleScenarios SCENARIOS =
            SampleScenarios.of("enrichment", EnvelopeReader.withTopics());

    /** The scenarios the sample data must keep; any further folder is run as well. */
    static final List<String> REQUIRED =
            List.of(
                    "price-change-between-orders",
                    "product-deleted-then-recreated",
                    "customer-moves-region",
                    "order-before-any-product-version",
                    "dimension-update-after-order-in-processing-order",
                    "late-dimension-change");

    static final List<String> INPUTS = List.of("orders", "products", "customers");

    /** Every scenario in both execution modes: the expectations do not depend on the mode. */
    static Stream<Object[]> runs() {
        return SCENARIOS.runs();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("runs")
    void jobCommitsTheHandWorkedExpectation(String scenario, ExecutionMode mode) throws Exception {
        ScenarioRun run = SCENARIOS.run(EnrichmentJob::new, scenario, mode);
        SoftAssertions soft = new SoftAssertions();
        for (Comparison c :
                List.of(
                        run.output("output", "orders-enriched", "expected.jsonl"),
                        run.late("enrichment-late"),
                        run.dlq("enrichment-dlq"))) {
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
            assertThat(dir.resolve("expected.jsonl")).as(scenario).isRegularFile();
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
            // The output is keyed by orderId: two orders with one id would make it depend on
            // which was written last.
            List<String> inputOrderIds = new ArrayList<>();
            for (String line : lines(dir.resolve("orders.jsonl"))) {
                JsonNode orderId = AvroJson.MAPPER.readTree(line).get("orderId");
                if (orderId != null && orderId.isTextual()) {
                    inputOrderIds.add(orderId.asText());
                }
            }
            assertThat(inputOrderIds)
                    .as("%s: orderIds in orders.jsonl are unique", scenario)
                    .doesNotHaveDuplicates();
            List<String> expected = lines(dir.resolve("expected.jsonl"));
            List<String> orderIds = new ArrayList<>();
            for (String line : expected) {
                JsonNode node = AvroJson.MAPPER.readTree(line);
                assertThat(AvroJson.canonical(node))
                        .as("%s: expected.jsonl lines are canonical JSON", scenario)
                        .isEqualTo(line);
                orderIds.add(node.get("orderId").asText());
            }
            assertThat(orderIds).as("%s: expected.jsonl sorted by orderId", scenario).isSorted();
            for (Comparison c : SCENARIOS.errorFilesCanonicalAndSorted(scenario)) {
                assertThat(c.actual()).as("%s", c.description()).isEqualTo(c.expected());
            }
        }
    }
}
