package io.tidemark.jobs.sessionization;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.common.local.ClickGenerator;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.jobs.sessionization.reference.Differences;
import io.tidemark.jobs.sessionization.reference.Envelopes;
import io.tidemark.jobs.sessionization.reference.SessionReferenceModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The determinism contract of DESIGN.md §1 for the sessionization job, checked end to end (embedded
 * Kafka → job on a MiniCluster → committed output) against {@link SessionReferenceModel}, an
 * independent single-threaded implementation of the rules, and against itself under perturbations
 * the contract says must not matter: parallelism, partitioning (for input whose disorder stays
 * within B) and execution mode.
 *
 * <p>Every input is generated from a fixed seed, which every assertion message names; nothing reads
 * the wall clock except the run-time report printed to stdout.
 */
class SessionizationDeterminismITCase {

    /** Four slots, so that parallelism 4 runs. */
    @RegisterExtension
    static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension(1, 4);

    private static final int PARTITIONS = 4;

    private static final SessionReferenceModel MODEL = SessionReferenceModel.withDefaults();

    @Test
    void jobEqualsReferenceModelLineForLine() throws Exception {
        ClickGenerator.Spec spec = messySpec(0x5E55_1011L).events(100_000).users(2_000).build();
        List<String> lines = ClickGenerator.generate(spec);
        String seed = "seed " + spec.seed() + " (" + spec + ")";

        SessionReferenceModel.Result expected = MODEL.run(lines, PARTITIONS);
        assertExercisesEveryRule(expected, spec, seed);

        ReplayResult actual =
                replay("p=2 STREAMING, 100k", lines, options(2, ExecutionMode.STREAMING));
        assertMatchesModel(expected, actual, seed);
        report("jobEqualsReferenceModelLineForLine", expected);
    }

    @Test
    void sameTopicAtParallelism1_2_4GivesIdenticalOutput() throws Exception {
        ClickGenerator.Spec spec = messySpec(0x5E55_1024L).events(20_000).users(500).build();
        List<String> lines = ClickGenerator.generate(spec);
        String seed = "seed " + spec.seed() + " (" + spec + ")";
        SessionReferenceModel.Result expected = MODEL.run(lines, PARTITIONS);
        assertExercisesEveryRule(expected, spec, seed);

        Map<Integer, ReplayResult> byParallelism = new LinkedHashMap<>();
        for (int p : new int[] {1, 2, 4}) {
            byParallelism.put(
                    p,
                    replay(
                            "p=" + p + " STREAMING, 20k",
                            lines,
                            options(p, ExecutionMode.STREAMING)));
        }
        ReplayResult reference = byParallelism.get(1);
        assertMatchesModel(expected, reference, seed + ", p=1");
        for (int p : new int[] {2, 4}) {
            assertSameResult(reference, byParallelism.get(p), seed + ", p=1 vs p=" + p);
        }
        report("sameTopicAtParallelism1_2_4GivesIdenticalOutput", expected);
    }

    /**
     * Lateness is decided per partition, so in general the same lines loaded into a different
     * number of partitions may classify differently. Not here: this input has no late clicks, no
     * duplicates and no bad records, and every click's event time is at most B behind its stream
     * time, which never decreases in file order. The maximum event time of any prefix of the file
     * is therefore at most the current stream time, and so is the maximum of any partition's prefix
     * (a subset of it): no record is late on any partitioning, and with nothing late or
     * deduplicated away the sessions cannot depend on where a user's clicks were stored. {@code
     * _partition} is stripped so that the key decides (murmur2 over 4, or everything in partition
     * 0), and a single heartbeat line without {@code _partition} goes to every partition.
     */
    @Test
    void inputWithinBoundGivesSameOutputOnOneAndFourPartitions() throws Exception {
        ClickGenerator.Spec spec =
                ClickGenerator.Spec.builder()
                        .seed(0x5E55_1014L)
                        .events(20_000)
                        .users(500)
                        .partitions(PARTITIONS)
                        .boundMs(SessionReferenceModel.DEFAULT_BOUND_MS)
                        .fractionWithinBound(0.3)
                        .fractionLate(0)
                        .fractionDuplicates(0)
                        .badPerReason(0)
                        .heartbeats(true)
                        .build();
        List<String> lines = keyDecidesPartition(ClickGenerator.generate(spec));
        String seed = "seed " + spec.seed() + " (" + spec + ")";

        SessionReferenceModel.Result onOne = MODEL.run(lines, 1);
        SessionReferenceModel.Result onFour = MODEL.run(lines, PARTITIONS);
        assertThat(onOne.late()).as("model, 1 partition, " + seed).isEmpty();
        assertThat(onFour.late()).as("model, 4 partitions, " + seed).isEmpty();
        assertThat(onOne.output())
                .as("model: 1 vs 4 partitions, " + seed)
                .isEqualTo(onFour.output());
        assertThat(onOne.stats().sessions()).as(seed).isGreaterThan(1_000);

        ReplayResult one =
                replay(
                        "1 partition p=2 STREAMING, 20k",
                        lines,
                        options(2, ExecutionMode.STREAMING).withPartitions(1));
        ReplayResult four =
                replay(
                        "4 partitions p=2 STREAMING, 20k",
                        lines,
                        options(2, ExecutionMode.STREAMING));
        assertMatchesModel(onOne, one, seed + ", 1 partition");
        assertMatchesModel(onFour, four, seed + ", 4 partitions");
        assertNoDifference(
                Differences.ofLines(
                        "sessions, 1 vs 4 partitions",
                        one.outputs().get("output"),
                        four.outputs().get("output")),
                seed);
        assertThat(one.late()).as("late, 1 partition, " + seed).isEmpty();
        assertThat(four.late()).as("late, 4 partitions, " + seed).isEmpty();
        assertThat(one.dlq()).as("dlq, 1 partition, " + seed).isEmpty();
        assertThat(four.dlq()).as("dlq, 4 partitions, " + seed).isEmpty();
        report("inputWithinBoundGivesSameOutputOnOneAndFourPartitions", onFour);
    }

    @Test
    void batchEqualsStreaming() throws Exception {
        ClickGenerator.Spec spec = messySpec(0x5E55_10BAL).events(20_000).users(500).build();
        List<String> lines = ClickGenerator.generate(spec);
        String seed = "seed " + spec.seed() + " (" + spec + ")";
        SessionReferenceModel.Result expected = MODEL.run(lines, PARTITIONS);
        assertExercisesEveryRule(expected, spec, seed);

        ReplayResult streaming =
                replay("p=2 STREAMING, 20k", lines, options(2, ExecutionMode.STREAMING));
        ReplayResult batch = replay("p=2 BATCH, 20k", lines, options(2, ExecutionMode.BATCH));
        assertMatchesModel(expected, streaming, seed + ", STREAMING");
        assertSameResult(streaming, batch, seed + ", STREAMING vs BATCH");
        report("batchEqualsStreaming", expected);
    }

    // ---------------------------------------------------------------------------------------

    /** Disorder within B (20 %), ~1 % beyond B, ~1 % duplicates, 5 bad records of each reason. */
    private static ClickGenerator.Spec.Builder messySpec(long seed) {
        return ClickGenerator.Spec.builder()
                .seed(seed)
                .partitions(PARTITIONS)
                .boundMs(SessionReferenceModel.DEFAULT_BOUND_MS)
                .fractionWithinBound(0.2)
                .fractionLate(0.01)
                .fractionDuplicates(0.01)
                .badPerReason(5)
                .heartbeats(true);
    }

    private static ReplayOptions options(int parallelism, ExecutionMode mode) {
        return ReplayOptions.defaults()
                .withPartitions(PARTITIONS)
                .withParallelism(parallelism)
                .withMode(mode);
    }

    /** One replay on a fresh broker (topic names are fixed); prints its wall time. */
    private static ReplayResult replay(String label, List<String> lines, ReplayOptions options)
            throws Exception {
        long started = System.nanoTime();
        ReplayResult result;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            result = Replay.run(new SessionizationJob(), Map.of("clicks", lines), options, kafka);
        }
        System.out.printf(
                "[determinism] replay %-34s %6d ms  %s%n",
                label, (System.nanoTime() - started) / 1_000_000, result.metrics());
        return result;
    }

    /** The generated input must exercise each rule, or an equality would prove little. */
    private static void assertExercisesEveryRule(
            SessionReferenceModel.Result expected, ClickGenerator.Spec spec, String seed) {
        Map<ReasonCode, Long> reasons = expected.dlqReasons();
        for (ReasonCode reason : ClickGenerator.BAD_REASONS) {
            assertThat(reasons.get(reason))
                    .as("model DLQ count of " + reason + ", " + seed)
                    .isEqualTo((long) spec.badPerReason());
        }
        assertThat(expected.late().size())
                .as("model late count, " + seed)
                .isGreaterThan((int) (spec.events() * spec.fractionLate() / 2));
        assertThat(expected.stats().duplicates())
                .as("model duplicates, " + seed)
                .isGreaterThan((long) (spec.events() * spec.fractionDuplicates() / 2));
        assertThat(expected.stats().heartbeats()).as(seed).isEqualTo(spec.partitions());
        assertThat(expected.stats().sessions()).as(seed).isGreaterThan(spec.users());
    }

    private static void assertMatchesModel(
            SessionReferenceModel.Result expected, ReplayResult actual, String seed) {
        List<String> problems = new ArrayList<>();
        problems.add(
                Differences.ofLines(
                        "sessions (model vs job)",
                        expected.output(),
                        actual.outputs().get("output")));
        problems.add(
                Differences.ofSets(
                        "late (partition@offset, model vs job)",
                        expected.late(),
                        Envelopes.latePositions(actual.late())));
        problems.add(
                Differences.ofSets(
                        "dlq (partition@offset:reason, model vs job)",
                        expected.dlq(),
                        Envelopes.entries(actual.dlq())));
        assertNoDifference(
                String.join("\n", problems.stream().filter(p -> !p.isEmpty()).toList()), seed);
    }

    private static void assertSameResult(ReplayResult a, ReplayResult b, String seed) {
        List<String> problems = new ArrayList<>();
        problems.add(
                Differences.ofLines(
                        "sessions", a.outputs().get("output"), b.outputs().get("output")));
        problems.add(Differences.ofLines("late envelopes", a.late(), b.late()));
        problems.add(Differences.ofLines("dlq envelopes", a.dlq(), b.dlq()));
        assertNoDifference(
                String.join("\n", problems.stream().filter(p -> !p.isEmpty()).toList()), seed);
    }

    private static void assertNoDifference(String differences, String seed) {
        assertThat(differences).as("differences, " + seed).isEmpty();
    }

    /**
     * Removes {@code _partition} so that the key decides the partition; keeps one heartbeat, which
     * without {@code _partition} the loader writes to every partition.
     */
    private static List<String> keyDecidesPartition(List<String> lines) {
        List<String> out = new ArrayList<>(lines.size());
        boolean heartbeatKept = false;
        for (String line : lines) {
            ObjectNode node = (ObjectNode) readTree(line);
            boolean heartbeat = "Heartbeat".equals(node.path(JsonLinesLoader.TYPE).asText());
            if (heartbeat && heartbeatKept) {
                continue;
            }
            heartbeatKept |= heartbeat;
            node.remove(JsonLinesLoader.PARTITION);
            out.add(node.toString());
        }
        return out;
    }

    private static JsonNode readTree(String line) {
        try {
            return AvroJson.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void report(String test, SessionReferenceModel.Result expected) {
        System.out.printf("[determinism] %s: model %s%n", test, expected.stats());
    }
}
