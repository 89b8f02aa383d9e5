package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify-determinism --partitions} against the input's {@code _partition} values. */
class VerifyDeterminismCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void explicitPartitionsFewerThanTheInputSetsAreRejectedBeforeAnythingRuns(@TempDir Path dir)
            throws IOException {
        Path input = dir.resolve("input.jsonl");
        Files.writeString(
                input,
                "{\"_partition\":2,\"eventId\":\"e1\",\"userId\":\"u\","
                        + "\"eventTime\":\"2026-11-01T10:00:00.000Z\",\"type\":\"PAGE_VIEW\"}\n");

        int exit =
                CliRun.execute(
                        out,
                        err,
                        "verify-determinism",
                        "sessionization",
                        "--input",
                        input.toString(),
                        "--partitions",
                        "2");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString())
                .contains("--partitions 2 is too few: the input sets _partition up to 2");
        assertThat(out.toString()).doesNotContain("Verifying");
    }
}
