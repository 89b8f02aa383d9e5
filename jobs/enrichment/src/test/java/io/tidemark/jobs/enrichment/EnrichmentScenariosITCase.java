package io.tidemark.jobs.enrichment;

import static io.tidemark.common.testing.scenario.SampleScenarios.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.testing.scenario.EnvelopeReader;
import io.tidemark.common.testing.scenario.SampleScenarios;
import io.tidemark.common.testing.scenario.ScenarioSuite;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The enrichment job over every scenario in {@code sample-data/enrichment/} ({@link
 * ScenarioSuite}): {@code orders.jsonl}, {@code products.jsonl}, {@code customers.jsonl} each
 * written in file order to its 2-partition topic; {@code expected.jsonl} the {@code
 * orders-enriched} output sorted by orderId; late and DLQ envelopes as {@code
 * {"offset":…,"partition":…,"reasonCode":…,"topic":…}}.
 */
class EnrichmentScenariosITCase extends ScenarioSuite {

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

    @Override
    protected SampleScenarios scenarios() {
        return SCENARIOS;
    }

    @Override
    protected Supplier<? extends TidemarkJob> job() {
        return EnrichmentJob::new;
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
            for (String input : INPUTS) {
                assertPinsPartitions(scenario, dir.resolve(input + ".jsonl"), 2);
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
            assertExpectedFilesCanonicalAndSortedBy(
                    scenario, order -> order.get("orderId").asText());
        }
    }
}
