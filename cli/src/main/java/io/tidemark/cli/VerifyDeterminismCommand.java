package io.tidemark.cli;

import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.local.replay.DeterminismSuite;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark verify-determinism <job>}: the same input under each perturbation of the
 * determinism contract must give identical committed output, late and DLQ records.
 */
@Command(
        name = "verify-determinism",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a job over one input under each perturbation of the determinism contract —"
                    + " parallelism 1/2/4, BATCH, the input arriving while the job runs in another"
                    + " order, a savepoint mid-stream restored at another parallelism, failures"
                    + " injected after checkpoints — each on a fresh embedded"
                    + " broker, and compares the committed output, late and DLQ records with a"
                    + " plain run. Prints the first differences and exits 1 when any run differs."
        })
final class VerifyDeterminismCommand implements Callable<Integer> {

    /** Partitions of each input topic when the input sets no {@code _partition}. */
    static final int DEFAULT_PARTITIONS = 2;

    @Spec CommandSpec spec;

    @Mixin JobParameter job;

    @Mixin InputOption input;

    @Option(
            names = "--partitions",
            description =
                    "Partitions of each input topic (default: the largest _partition in the input"
                            + " plus one; 2 when no line sets _partition).")
    Integer partitions;

    @Option(
            names = "--failures",
            defaultValue = "10",
            description =
                    "Failures to inject in the failure run; 0 skips it (default: ${DEFAULT-VALUE}).")
    int failures;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Job configuration.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        TidemarkJob tidemarkJob = job.job();
        Map<String, List<String>> inputs = input.read(tidemarkJob);
        CliOptions.atLeast(spec, "--failures", failures, 0);
        int needed =
                inputs.values().stream()
                        .map(JsonLinesLoader::partitionsNeeded)
                        .filter(OptionalInt::isPresent)
                        .mapToInt(OptionalInt::getAsInt)
                        .max()
                        .orElse(0);
        String origin;
        if (partitions != null) {
            CliOptions.atLeast(spec, "--partitions", partitions, 1);
            if (partitions < needed) {
                throw CliOptions.invalid(
                        spec,
                        "--partitions "
                                + partitions
                                + " is too few: the input sets _partition up to "
                                + (needed - 1));
            }
            origin = "--partitions";
        } else if (needed > 0) {
            partitions = needed;
            origin = "from the input's _partition values";
        } else {
            partitions = DEFAULT_PARTITIONS;
            origin = "the default; no line sets _partition";
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "Verifying that %s's output over %s (%d partitions, %s) is a pure function of"
                        + " it...%n",
                job, input, partitions, origin);
        out.flush();
        List<DeterminismSuite.Outcome> outcomes =
                DeterminismSuite.run(
                        tidemarkJob,
                        inputs,
                        DeterminismSuite.standard(partitions, failures, overrides),
                        outcome -> {
                            out.printf(
                                    "  %-45s %6.1f s  %s%n",
                                    outcome.variant(),
                                    outcome.millis() / 1000.0,
                                    outcome.same() ? "identical" : "DIFFERS");
                            outcome.differences().forEach(d -> out.println("      " + d));
                            out.flush();
                        });
        long differing = outcomes.stream().filter(o -> !o.same()).count();
        out.println(
                differing == 0
                        ? "Identical committed output, late and DLQ records in every run."
                        : differing + " run(s) differ from the baseline.");
        out.flush();
        return differing == 0 ? 0 : 1;
    }
}
