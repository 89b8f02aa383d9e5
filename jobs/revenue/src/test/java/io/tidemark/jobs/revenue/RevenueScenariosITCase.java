package io.tidemark.jobs.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.testing.scenario.EnvelopeReader;
import io.tidemark.common.testing.scenario.SampleScenarios;
import io.tidemark.common.testing.scenario.ScenarioSuite;
import io.tidemark.jobs.revenue.reference.RevenueReferenceModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The revenue job over every scenario in {@code sample-data/revenue/} ({@link ScenarioSuite}): the
 * three shop inputs, each written in file order to its 2-partition topic; {@code expected-1m.jsonl}
 * / {@code expected-1h.jsonl} the {@code revenue-1m} and {@code revenue-1h} outputs (final value
 * per key) sorted by {@code category|region|currency|windowStart}; late and DLQ envelopes as {@code
 * {"offset":…,"partition":…,"reasonCode":…,"topic":…}}.
 */
class RevenueScenariosITCase extends ScenarioSuite {

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
                    "empty-minute",
                    "amount-overflow",
                    "duplicate-orders");

    static final List<String> INPUTS = List.of("orders", "products", "customers");

    @Override
    protected SampleScenarios scenarios() {
        return SCENARIOS;
    }

    @Override
    protected Supplier<? extends TidemarkJob> job() {
        return RevenueJob::new;
    }

    @Override
    protected Map<String, String> expectedFiles() {
        return Map.of("output-1m", "expected-1m.jsonl", "output-1h", "expected-1h.jsonl");
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
            assertExpectedFilesCanonicalAndSortedBy(scenario, RevenueReferenceModel::outputKey);
        }
    }
}
