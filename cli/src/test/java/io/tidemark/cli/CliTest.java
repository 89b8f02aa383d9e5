package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.ClickGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return CliRun.execute(out, err, args);
    }

    @Test
    void generateClicksIsDeterministicForASeed(@TempDir Path dir) throws IOException {
        Path first = dir.resolve("a.jsonl");
        Path second = dir.resolve("b.jsonl");
        Path otherSeed = dir.resolve("c.jsonl");

        assertThat(
                        run(
                                "generate",
                                "clicks",
                                "--seed",
                                "5",
                                "--events",
                                "300",
                                "-o",
                                first.toString()))
                .isZero();
        assertThat(
                        run(
                                "generate",
                                "clicks",
                                "--seed",
                                "5",
                                "--events",
                                "300",
                                "-o",
                                second.toString()))
                .isZero();
        assertThat(
                        run(
                                "generate",
                                "clicks",
                                "--seed",
                                "6",
                                "--events",
                                "300",
                                "-o",
                                otherSeed.toString()))
                .isZero();

        assertThat(Files.readString(first)).isEqualTo(Files.readString(second));
        assertThat(Files.readString(first)).isNotEqualTo(Files.readString(otherSeed));
        assertThat(Files.readAllLines(first, StandardCharsets.UTF_8))
                .isEqualTo(
                        ClickGenerator.generate(
                                ClickGenerator.Spec.builder().seed(5).events(300).build()));
        assertThat(out.toString()).contains("wrote", first.toString());
    }

    @Test
    void generateClicksToStdoutPrintsTheLines() {
        int exit = run("generate", "clicks", "--events", "10", "--bad-per-reason", "1", "-o", "-");

        assertThat(exit).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(10 + 6 + 2);
        assertThat(lines).allMatch(l -> l.startsWith("{"));
    }

    @Test
    void generateOrdersWritesThreeFiles(@TempDir Path dir) {
        int exit = run("generate", "orders", "--events", "20", "--output", dir.toString());

        assertThat(exit).isZero();
        assertThat(dir.resolve("orders.jsonl")).isNotEmptyFile();
        assertThat(dir.resolve("products.jsonl")).isNotEmptyFile();
        assertThat(dir.resolve("customers.jsonl")).isNotEmptyFile();
    }

    @Test
    void outOfRangeFractionFailsNamingTheOption() {
        int exit = run("generate", "clicks", "--late-fraction", "1.5");

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--late-fraction").doesNotContain("\tat ");
    }

    @Test
    void nonNumericValueFailsNamingTheOption() {
        assertThat(run("generate", "clicks", "--events", "many")).isNotZero();
        assertThat(err.toString()).contains("--events");
    }

    @Test
    void unknownKindFails() {
        assertThat(run("generate", "cats")).isNotZero();
        assertThat(err.toString()).contains("cats");
    }

    @Test
    void clickOnlyOptionsAreRejectedForOrders(@TempDir Path dir) {
        assertThat(run("generate", "orders", "--late-fraction", "0.1", "-o", dir.toString()))
                .isNotZero();
        assertThat(err.toString()).contains("--late-fraction applies to clicks only");
    }

    @Test
    void ordersNeedAnOutputDirectory() {
        assertThat(run("generate", "orders")).isNotZero();
        assertThat(err.toString()).contains("--output");
    }

    @Test
    void loadWithoutRequiredOptionsFailsNamingThem() {
        assertThat(run("load", "--topic", "clicks")).isNotZero();
        assertThat(err.toString()).contains("--bootstrap");
    }

    @Test
    void loadRejectsUnknownTypeAndMissingFileBeforeContactingKafka(@TempDir Path dir) {
        Path missing = dir.resolve("missing.jsonl");

        assertThat(
                        run(
                                "load",
                                "--bootstrap",
                                "localhost:1",
                                "--topic",
                                "t",
                                "--type",
                                "Klick",
                                "--file",
                                missing.toString()))
                .isNotZero();
        assertThat(err.toString()).contains("--type Klick");
        assertThat(
                        run(
                                "load",
                                "--bootstrap",
                                "localhost:1",
                                "--topic",
                                "t",
                                "--type",
                                "Click",
                                "--file",
                                missing.toString()))
                .isNotZero();
        assertThat(err.toString()).contains("--file " + missing);
    }

    @Test
    void loadDlqTopicNeedsSkipBad(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("clicks.jsonl");
        Files.writeString(file, "");

        assertThat(
                        run(
                                "load",
                                "--bootstrap",
                                "localhost:1",
                                "--topic",
                                "t",
                                "--type",
                                "Click",
                                "--file",
                                file.toString(),
                                "--dlq-topic",
                                "t-rejects"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--dlq-topic applies with --skip-bad only");
    }

    @Test
    void runtimeErrorsPrintAMessageWithoutStackTraceUnlessVerbose(@TempDir Path dir)
            throws IOException {
        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "x");
        String output = notADirectory.resolve("clicks.jsonl").toString();

        assertThat(run("generate", "clicks", "--events", "1", "-o", output)).isEqualTo(1);
        assertThat(err.toString()).contains("tidemark: ").doesNotContain("\tat ");

        assertThat(run("generate", "clicks", "--events", "1", "-o", output, "--verbose"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("\tat ");
    }

    @Test
    void versionAndHelpSucceed() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("tidemark ");
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("generate", "load", "demo");
    }
}
