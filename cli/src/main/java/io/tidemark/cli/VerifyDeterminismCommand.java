package io.tidemark.cli;

import io.tidemark.common.local.replay.DeterminismSuite;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Spec CommandSpec spec;

    @Mixin JobParameter job;

    @Mixin InputOption input;

    @Option(names = "--partitions", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int partitions;

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
        CliOptions.atLeast(spec, "--partitions", partitions, 1);
        CliOptions.atLeast(spec, "--failures", failures, 0);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Verifying that %s's output over %s is a pure function of it...%n", job, input);
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
