package io.tidemark.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.testing.EmbeddedKafka;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.replay.Replay;
import io.tidemark.common.testing.replay.ReplayOptions;
import io.tidemark.common.testing.replay.ReplayResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
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

    static final Path SCENARIOS = Path.of("../../sample-data/enrichment");

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

    static Stream<String> scenarios() {
        try (Stream<Path> entries = Files.list(SCENARIOS)) {
            return entries
                    .filter(Files::isDirectory)
                    .map(dir -> dir.getFileName().toString())
                    .sorted()
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + SCENARIOS.toAbsolutePath(), e);
        }
    }

    /** Every scenario in both execution modes: the expectations do not depend on the mode. */
    static Stream<Arguments> runs() {
        return scenarios()
                .flatMap(
                        scenario ->
                                Stream.of(
                                        Arguments.of(scenario, ExecutionMode.STREAMING),
                                        Arguments.of(scenario, ExecutionMode.BATCH)));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("runs")
    void jobCommitsTheHandWorkedExpectation(String scenario, ExecutionMode mode) throws Exception {
        Path dir = SCENARIOS.resolve(scenario);
        Map<String, List<String>> inputs = Replay.readInputs(new EnrichmentJob(), dir);
        ReplayResult result;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            result =
                    Replay.run(
                            new EnrichmentJob(),
                            inputs,
                            ReplayOptions.defaults().withMode(mode),
                            kafka);
        }

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(result.outputs().get("output"))
                .as("%s (%s): orders-enriched vs expected.jsonl", scenario, mode)
                .containsExactlyElementsOf(lines(dir.resolve("expected.jsonl")));
        soft.assertThat(positions(result.late()))
                .as(
                        "%s (%s): enrichment-late vs expected-late.jsonl; envelopes:%n%s",
                        scenario, mode, String.join("\n", result.late()))
                .containsExactlyElementsOf(positions(lines(dir.resolve("expected-late.jsonl"))));
        soft.assertThat(positions(result.dlq()))
                .as(
                        "%s (%s): enrichment-dlq vs expected-dlq.jsonl; envelopes:%n%s",
                        scenario, mode, String.join("\n", result.dlq()))
                .containsExactlyElementsOf(positions(lines(dir.resolve("expected-dlq.jsonl"))));
        soft.assertAll();
    }

    /** Cheap checks of the sample data itself, so a broken scenario fails before any job runs. */
    @Test
    void everyScenarioIsCompleteAndPinsItsPartitions() throws IOException {
        List<String> present = scenarios().toList();
        assertThat(present).as("scenario folders").containsAll(REQUIRED);
        for (String scenario : present) {
            Path dir = SCENARIOS.resolve(scenario);
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
            for (String name : List.of("expected-late.jsonl", "expected-dlq.jsonl")) {
                List<String> entries = lines(dir.resolve(name));
                assertThat(entries)
                        .as("%s/%s: canonical position lines, sorted", scenario, name)
                        .isEqualTo(positions(entries));
            }
        }
    }

    /** Non-blank lines of a file; none when the file does not exist. */
    private static List<String> lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank())
                .toList();
    }

    /**
     * Each envelope (or expected line) reduced to canonical {@code
     * {"offset":…,"partition":…,"reasonCode":…,"topic":…}}, sorted by topic, partition, offset.
     */
    private static List<String> positions(List<String> lines) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines) {
            nodes.add(AvroJson.MAPPER.readTree(line));
        }
        return nodes.stream()
                .sorted(
                        Comparator.<JsonNode, String>comparing(n -> n.get("topic").asText())
                                .thenComparingInt(n -> n.get("partition").asInt())
                                .thenComparingLong(n -> n.get("offset").asLong()))
                .map(EnrichmentScenariosITCase::position)
                .toList();
    }

    private static String position(JsonNode node) {
        ObjectNode position = AvroJson.MAPPER.createObjectNode();
        position.put("offset", node.get("offset").asLong());
        position.put("partition", node.get("partition").asInt());
        position.put("reasonCode", node.get("reasonCode").asText());
        position.put("topic", node.get("topic").asText());
        return AvroJson.canonical(position);
    }
}
