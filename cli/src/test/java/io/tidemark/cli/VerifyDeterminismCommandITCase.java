package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code tidemark verify-determinism} end to end, for every job, on a hand-worked scenario that is
 * sensitive to timing (a late record bridging sessions; a customer version change between orders; a
 * product changing category mid-hour), under every perturbation: parallelism 1 and 4, BATCH, live
 * arrival in reverse order, a savepoint mid-stream restored at parallelism 4, and ten failures
 * injected after checkpoints.
 */
class VerifyDeterminismCommandITCase {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "sessionization, ../sample-data/sessionization/late-event-bridges-sessions/input.jsonl",
        "enrichment, ../sample-data/enrichment/customer-moves-region",
        "revenue, ../sample-data/revenue/product-changes-category-mid-hour"
    })
    void everyPerturbationGivesIdenticalCommittedOutput(String job, String input) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tidemark.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("verify-determinism", job, "--input", input);

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .contains("parallelism 1", "parallelism 4", "BATCH", "reverse order")
                .contains("savepoint mid-stream, restored at p=4")
                .contains("10 failures injected after checkpoints")
                .doesNotContain("DIFFERS")
                .contains("Identical committed output, late and DLQ records in every run.");
    }

    /**
     * Without {@code --partitions} the input topics get as many partitions as the input's {@code
     * _partition} values need: a three-partition input used to fail at once with "_partition: 2 is
     * not a partition of the topic (it has 2)".
     */
    @Test
    void partitionsDefaultToWhatTheInputSets(@TempDir Path dir) {
        Path input = dir.resolve("clicks.jsonl");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(
                        CliRun.execute(
                                out,
                                err,
                                "generate",
                                "clicks",
                                "--seed",
                                "3",
                                "--events",
                                "60",
                                "--users",
                                "6",
                                "--partitions",
                                "3",
                                "-o",
                                input.toString()))
                .isZero();

        int code =
                CliRun.execute(
                        out,
                        err,
                        "verify-determinism",
                        "sessionization",
                        "--input",
                        input.toString(),
                        "--failures",
                        "0");

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .contains("(3 partitions, from the input's _partition values)")
                .doesNotContain("DIFFERS")
                .contains("Identical committed output, late and DLQ records in every run.");
    }
}
