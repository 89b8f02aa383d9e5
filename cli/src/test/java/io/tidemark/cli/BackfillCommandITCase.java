package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.testing.EmbeddedKafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code tidemark backfill} against a real broker: a hand-worked sessionization scenario is loaded
 * as the "live" topic, backfilled in BATCH and in bounded STREAMING into fresh topics, and each
 * backfill's committed output must equal the scenario's expected output (what the live job commits)
 * — including its late records, which a backfill must not repair.
 */
class BackfillCommandITCase {

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Path SCENARIO = Path.of("../sample-data/sessionization/late-beyond-bound");

    @BeforeAll
    static void loadLiveTopic() {
        KAFKA.createTopic("clicks", 2);
        JsonLinesLoader.load(
                SCENARIO.resolve("input.jsonl"),
                "clicks",
                "Click",
                KAFKA.bootstrapServers(),
                new Properties());
    }

    private record Run(int exitCode, String out, String err) {}

    private static Run tidemark(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tidemark.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static List<String> expected(String file) throws Exception {
        Path path = SCENARIO.resolve(file);
        return Files.exists(path)
                ? Files.readAllLines(path, StandardCharsets.UTF_8).stream()
                        .filter(l -> !l.isBlank())
                        .toList()
                : List.of();
    }

    private static List<String> sessions(String topic) {
        return CommittedReader.canonicalLinesLastPerKey(KAFKA.bootstrapServers(), topic);
    }

    @Test
    void batchBackfillEqualsTheLiveOutputAndKeepsTheLateRecordsLate() throws Exception {
        Run run =
                tidemark(
                        "backfill", "sessionization",
                        "--bootstrap", KAFKA.bootstrapServers(),
                        "--execution", "batch",
                        "--output-topic-suffix", "-bf-batch");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("records in range")
                .containsPattern("read (\\d+) / \\1 \\(100.0%\\), event time 2026-11-01T")
                .contains("Done in")
                .contains("user-sessions-bf-batch");
        assertThat(sessions("user-sessions-bf-batch")).isEqualTo(expected("expected.jsonl"));
        assertThat(
                        CommittedReader.read(
                                        KAFKA.bootstrapServers(),
                                        "sessionization-late-bf-batch",
                                        new Properties())
                                .size())
                .isEqualTo(expected("expected-late.jsonl").size());
    }

    @Test
    void boundedStreamingBackfillGivesTheSameOutput() throws Exception {
        Run run =
                tidemark(
                        "backfill", "sessionization",
                        "--bootstrap", KAFKA.bootstrapServers(),
                        "--execution", "streaming",
                        "--output-topic-suffix", "-bf-streaming");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(sessions("user-sessions-bf-streaming")).isEqualTo(expected("expected.jsonl"));
    }

    @Test
    void warmUpRebuildsStateButWritesOnlyFromTheRangeStart() throws Exception {
        List<String> clicks =
                io.tidemark.common.local.ClickGenerator.generate(
                        io.tidemark.common.local.ClickGenerator.Spec.builder()
                                .seed(99)
                                .events(3_000)
                                .users(100)
                                .partitions(2)
                                .fractionLate(0.03)
                                .build());
        KAFKA.createTopic("clicks-generated", 2);
        JsonLinesLoader.load(
                clicks,
                "generated",
                "clicks-generated",
                "Click",
                KAFKA.bootstrapServers(),
                new Properties());
        // The range starts at the event time of the middle click, on a whole minute.
        java.time.Instant from =
                java.time.Instant.parse(
                                io.tidemark.common.schemas.AvroJson.MAPPER
                                        .readTree(clicks.get(clicks.size() / 2))
                                        .get("eventTime")
                                        .asText())
                        .truncatedTo(java.time.temporal.ChronoUnit.MINUTES);

        backfill("-full", "--from", "earliest");
        backfill("-warm", "--from", from.toString(), "--warm-up", "6 h");
        backfill("-cold", "--from", from.toString());

        long fromMillis = from.toEpochMilli();
        List<String> fullFromRange =
                sessions("user-sessions-full").stream()
                        .filter(line -> timeOf(line, "end") >= fromMillis)
                        .toList();
        List<String> lateFromRange =
                committed("sessionization-late-full").stream()
                        .filter(line -> timeOf(line, "recordTimestamp") >= fromMillis)
                        .toList();
        assertThat(fullFromRange).isNotEmpty();
        assertThat(sessions("user-sessions-warm")).isEqualTo(fullFromRange);
        assertThat(committed("sessionization-late-warm")).isEqualTo(lateFromRange);
        assertThat(sessions("user-sessions-cold"))
                .as("without a warm-up, sessions open at the range start are cut")
                .isNotEqualTo(fullFromRange);
    }

    private static void backfill(String suffix, String... range) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "backfill",
                                "sessionization",
                                "--bootstrap",
                                KAFKA.bootstrapServers(),
                                "--set",
                                "topics.clicks=clicks-generated",
                                "--output-topic-suffix",
                                suffix));
        args.addAll(List.of(range));
        Run run = tidemark(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    private static List<String> committed(String topic) {
        return CommittedReader.canonicalLinesLastPerKey(KAFKA.bootstrapServers(), topic);
    }

    private static long timeOf(String line, String field) {
        try {
            return java.time.Instant.parse(
                            io.tidemark.common.schemas.AvroJson.MAPPER
                                    .readTree(line)
                                    .get(field)
                                    .asText())
                    .toEpochMilli();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void includeLateFeedsTheLiveLateRecordsBackAsIfOnTime() throws Exception {
        Run live = tidemark(backfillArgs("-live-like", "--execution", "batch"));
        assertThat(live.exitCode()).as(live.err()).isZero();
        assertThat(committed("sessionization-late-live-like")).isNotEmpty();

        Run withLate =
                tidemark(
                        backfillArgs(
                                "-with-late",
                                "--execution",
                                "batch",
                                "--include-late",
                                "--late-topic",
                                "sessionization-late-live-like"));
        // Independent expectation: the same input with a bound so large that nothing is late.
        Run unbounded =
                tidemark(
                        backfillArgs(
                                "-no-bound",
                                "--execution",
                                "batch",
                                "--set",
                                "event-time.out-of-orderness=3650 d"));

        assertThat(withLate.exitCode()).as(withLate.err()).isZero();
        assertThat(unbounded.exitCode()).as(unbounded.err()).isZero();
        assertThat(sessions("user-sessions-with-late"))
                .isEqualTo(sessions("user-sessions-no-bound"))
                .isNotEqualTo(expected("expected.jsonl"));
    }

    @Test
    void includeLateIsRefusedInStreaming() {
        Run run =
                tidemark(
                        backfillArgs(
                                "-late-streaming", "--execution", "streaming", "--include-late"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("source.include-late-topic").contains("BATCH");
    }

    private static String[] backfillArgs(String suffix, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "backfill",
                                "sessionization",
                                "--bootstrap",
                                KAFKA.bootstrapServers(),
                                "--output-topic-suffix",
                                suffix));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void revenueBackfillOfThreeSourceTopicsEqualsTheLiveOutput() throws Exception {
        Path scenario = Path.of("../sample-data/revenue/late-order-beyond-bound");
        for (String[] input :
                new String[][] {
                    {"orders", "Order"},
                    {"products", "ProductChange"},
                    {"customers", "CustomerChange"}
                }) {
            KAFKA.createTopic(input[0], 2);
            JsonLinesLoader.load(
                    scenario.resolve(input[0] + ".jsonl"),
                    input[0],
                    input[1],
                    KAFKA.bootstrapServers(),
                    new Properties());
        }

        Run run =
                tidemark(
                        "backfill", "revenue",
                        "--bootstrap", KAFKA.bootstrapServers(),
                        "--execution", "batch",
                        "--output-topic-suffix", "-bf");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(committed("revenue-1m-bf"))
                .isEqualTo(lines(scenario.resolve("expected-1m.jsonl")));
        assertThat(committed("revenue-1h-bf"))
                .isEqualTo(lines(scenario.resolve("expected-1h.jsonl")));
        assertThat(committed("revenue-late-bf"))
                .hasSize(lines(scenario.resolve("expected-late.jsonl")).size());
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .toList();
    }

    @Test
    void existingOutputTopicsAreRefused() {
        KAFKA.createTopic("user-sessions-taken", 1);
        Run run =
                tidemark(
                        "backfill", "sessionization",
                        "--bootstrap", KAFKA.bootstrapServers(),
                        "--output-topic-suffix", "-taken");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("already exist").contains("user-sessions-taken");
    }

    @Test
    void unboundedRangeIsRefused() {
        Run run =
                tidemark(
                        "backfill", "sessionization",
                        "--bootstrap", KAFKA.bootstrapServers(),
                        "--to", "none",
                        "--output-topic-suffix", "-x");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--to");
    }
}
