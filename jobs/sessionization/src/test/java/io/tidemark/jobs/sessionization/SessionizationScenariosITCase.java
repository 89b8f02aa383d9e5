package io.tidemark.jobs.sessionization;

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

    static final Path SCENARIOS = Path.of("../../sample-data/sessionization");

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
        Map<String, List<String>> input =
                Replay.readInputs(new SessionizationJob(), dir.resolve("input.jsonl"));
        ReplayOptions options = ReplayOptions.defaults().withMode(mode);
        ReplayResult result;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            result = Replay.run(new SessionizationJob(), input, options, kafka);
        }

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(result.outputs().get("output"))
                .as("%s (%s): user-sessions vs expected.jsonl", scenario, mode)
                .containsExactlyElementsOf(lines(dir.resolve("expected.jsonl")));
        soft.assertThat(triples(result.late()))
                .as(
                        "%s (%s): sessionization-late vs expected-late.jsonl; envelopes:%n%s",
                        scenario, mode, String.join("\n", result.late()))
                .containsExactlyElementsOf(triples(lines(dir.resolve("expected-late.jsonl"))));
        soft.assertThat(triples(result.dlq()))
                .as(
                        "%s (%s): sessionization-dlq vs expected-dlq.jsonl; envelopes:%n%s",
                        scenario, mode, String.join("\n", result.dlq()))
                .containsExactlyElementsOf(triples(lines(dir.resolve("expected-dlq.jsonl"))));
        soft.assertAll();
    }

    /** Cheap checks of the sample data itself, so a broken scenario fails before any job runs. */
    @Test
    void everyScenarioIsCompleteAndPinsItsPartitions() throws IOException {
        List<String> present = scenarios().toList();
        assertThat(present).as("scenario folders").containsAll(REQUIRED);
        for (String scenario : present) {
            Path dir = SCENARIOS.resolve(scenario);
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
     * {"offset":…,"partition":…,"reasonCode":…}}, sorted by partition, then offset.
     */
    private static List<String> triples(List<String> lines) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines) {
            nodes.add(AvroJson.MAPPER.readTree(line));
        }
        return nodes.stream()
                .sorted(
                        Comparator.<JsonNode>comparingInt(n -> n.get("partition").asInt())
                                .thenComparingLong(n -> n.get("offset").asLong()))
                .map(SessionizationScenariosITCase::triple)
                .toList();
    }

    private static String triple(JsonNode node) {
        ObjectNode triple = AvroJson.MAPPER.createObjectNode();
        triple.put("offset", node.get("offset").asLong());
        triple.put("partition", node.get("partition").asInt());
        triple.put("reasonCode", node.get("reasonCode").asText());
        return AvroJson.canonical(triple);
    }
}
