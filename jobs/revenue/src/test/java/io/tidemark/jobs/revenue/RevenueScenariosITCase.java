package io.tidemark.jobs.revenue;

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

    static final Path SCENARIOS = Path.of("../../sample-data/revenue");

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
        Map<String, List<String>> inputs = Replay.readInputs(new RevenueJob(), dir);
        ReplayResult result;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            result =
                    Replay.run(
                            new RevenueJob(),
                            inputs,
                            ReplayOptions.defaults().withMode(mode),
                            kafka);
        }

        SoftAssertions soft = new SoftAssertions();
        for (String role : List.of("output-1m", "output-1h")) {
            soft.assertThat(result.outputs().get(role))
                    .as("%s (%s): %s vs %s", scenario, mode, role, OUTPUTS.get(role))
                    .containsExactlyElementsOf(lines(dir.resolve(OUTPUTS.get(role))));
        }
        soft.assertThat(positions(result.late()))
                .as(
                        "%s (%s): revenue-late vs expected-late.jsonl; envelopes:%n%s",
                        scenario, mode, String.join("\n", result.late()))
                .containsExactlyElementsOf(positions(lines(dir.resolve("expected-late.jsonl"))));
        soft.assertThat(positions(result.dlq()))
                .as(
                        "%s (%s): revenue-dlq vs expected-dlq.jsonl; envelopes:%n%s",
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
            for (String name : List.of("expected-late.jsonl", "expected-dlq.jsonl")) {
                List<String> entries = lines(dir.resolve(name));
                assertThat(entries)
                        .as("%s/%s: canonical position lines, sorted", scenario, name)
                        .isEqualTo(positions(entries));
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
                .map(RevenueScenariosITCase::position)
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
