package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code tidemark verify-determinism} end to end on a hand-worked scenario whose late record
 * bridges two sessions — the case most sensitive to timing — under every perturbation, with ten
 * failures injected after checkpoints.
 */
class VerifyDeterminismCommandITCase {

    @Test
    void everyPerturbationGivesIdenticalCommittedOutput() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tidemark.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int code =
                cli.execute(
                        "verify-determinism",
                        "sessionization",
                        "--input",
                        "../sample-data/sessionization/late-event-bridges-sessions/input.jsonl");

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .contains("parallelism 1", "parallelism 4", "BATCH", "reverse order")
                .contains("10 failures injected after checkpoints")
                .doesNotContain("DIFFERS")
                .contains("Identical committed output, late and DLQ records in every run.");
    }
}
