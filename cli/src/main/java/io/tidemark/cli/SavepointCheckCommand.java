package io.tidemark.cli;

import io.tidemark.common.runtime.config.TidemarkOptions;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.statemigration.gate.GateReport;
import io.tidemark.statemigration.gate.SavepointGate;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark savepoint check <job> --savepoint PATH}: the compatibility gate, before an
 * upgrade resumes a savepoint with the current version of a job.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Checks that the current version of JOB can resume a savepoint without losing or"
                    + " misreading state: every stateful operator still there (or explicitly"
                    + " allowed to be dropped), every state of the same kind with a serializer"
                    + " Flink can read the old state with, the same max parallelism.",
            "Exit code 0: compatible; 3: refused (the report says why)."
        })
final class SavepointCheckCommand implements Callable<Integer> {

    /** The exit code of a refused upgrade: not a usage error (2), not a failure (1). */
    static final int REFUSED = 3;

    @Spec CommandSpec spec;

    @Mixin JobParameter job;

    @Option(
            names = "--savepoint",
            required = true,
            paramLabel = "PATH",
            description = "The savepoint directory (or its _metadata file).")
    Path savepoint;

    @Option(
            names = "--allow-dropped",
            paramLabel = "UID",
            description =
                    "An operator uid whose state the upgrade may drop (repeatable); resume with"
                            + " execution.state-recovery.ignore-unclaimed-state: true.")
    Set<String> allowDropped = new LinkedHashSet<>();

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Configuration the new version will run with; the gate reads max-parallelism.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() {
        TidemarkJob tidemarkJob = job.job();
        if (!Files.exists(savepoint)) {
            throw CliOptions.invalid(spec, "--savepoint " + savepoint + " does not exist");
        }
        int maxParallelism = Configuration.fromMap(overrides).get(TidemarkOptions.MAX_PARALLELISM);
        GateReport report =
                SavepointGate.check(tidemarkJob, savepoint, maxParallelism, allowDropped);
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.render());
        out.flush();
        return report.passes() ? 0 : REFUSED;
    }
}
