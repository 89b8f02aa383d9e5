package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code tidemark verify-determinism} end to end, for every job, on input that is sensitive to
 * timing (generated clicks with late records, duplicates and bad records on three partitions; a
 * customer version change between orders; a product changing category mid-hour), under every
 * perturbation: parallelism 1 and 4, BATCH, live arrival in reverse order, a savepoint mid-stream
 * restored at parallelism 4, and ten failures injected after checkpoints. Without {@code
 * --partitions} the topics get as many partitions as the input's {@code _partition} values need (a
 * three-partition input used to fail at once with "_partition: 2 is not a partition of the topic
 * (it has 2)"); one suite run per job keeps this test within the CI budget.
 */
class VerifyDeterminismCommandITCase {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "sessionization, src/test/resources/verify-determinism/clicks-3-partitions.jsonl, 3",
        "enrichment, ../sample-data/enrichment/customer-moves-region, 2",
        "revenue, ../sample-data/revenue/product-changes-category-mid-hour, 2"
    })
    void everyPerturbationGivesIdenticalCommittedOutput(String job, String input, int partitions) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = CliRun.execute(out, err, "verify-determinism", job, "--input", input);

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .contains("(" + partitions + " partitions, from the input's _partition values)")
                .contains("parallelism 1", "parallelism 4", "BATCH", "reverse order")
                .contains("savepoint mid-stream, restored at p=4")
                .contains("10 failures injected after checkpoints")
                .doesNotContain("DIFFERS")
                .contains("Identical committed output, late and DLQ records in every run.");
    }
}
