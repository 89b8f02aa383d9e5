package io.tidemark.cli;

import io.tidemark.cli.cluster.FlinkRest;
import io.tidemark.cli.cluster.JobSubmitter;
import io.tidemark.cli.cluster.Submission;
import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.JobArgs;
import io.tidemark.common.runtime.config.TidemarkOptions;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.statemigration.gate.GateReport;
import io.tidemark.statemigration.gate.SavepointGate;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark upgrade <job> --jar NEW.jar}: stop-with-savepoint, the compatibility gate, and
 * the new version resumed from the savepoint; on refusal the running version resumes instead.
 */
@Command(
        name = "upgrade",
        mixinStandardHelpOptions = true,
        description = {
            "Upgrades a job submitted with tidemark submit: stops it with a savepoint (without"
                    + " draining), runs the compatibility gate on that savepoint, and starts NEW.jar"
                    + " from it with the same arguments (plus any --set). When the gate refuses,"
                    + " the previous jar resumes from the savepoint and nothing is lost.",
            "The gate checks the savepoint against the job as built with this tidemark, so run"
                    + " the tidemark of the checkout that built NEW.jar.",
            "Exit code 0: upgraded; 3: refused (the previous version runs again)."
        })
final class UpgradeCommand implements Callable<Integer> {

    private static final Duration SAVEPOINT_TIMEOUT = Duration.ofMinutes(5);

    @Spec CommandSpec spec;

    @Mixin JobParameter job;

    @Mixin LocalClusterOptions cluster;

    @Option(names = "--jar", required = true, paramLabel = "JAR", description = "The new job jar.")
    Path jar;

    @Option(
            names = "--name",
            paramLabel = "JOB_NAME",
            description = "The job.name it was submitted with (default: the job's name).")
    String jobName;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Configuration to add to the submitted arguments (a later value wins).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--allow-dropped",
            paramLabel = "UID",
            description = "An operator uid whose state the new version may drop (repeatable).")
    Set<String> allowDropped = new LinkedHashSet<>();

    @Override
    public Integer call() {
        TidemarkJob tidemarkJob = job.job();
        if (!Files.isRegularFile(jar)) {
            throw CliOptions.invalid(spec, "--jar " + jar + ": no such file");
        }
        String name = jobName != null ? jobName : tidemarkJob.name();
        Submission previous =
                Submission.readFrom(cluster.workDir(), name)
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "no submission of "
                                                        + name
                                                        + " recorded in "
                                                        + cluster.workDir().root()
                                                        + "; upgrade works on jobs started with"
                                                        + " tidemark submit"));
        List<String> args = new ArrayList<>(previous.args());
        overrides.forEach((k, v) -> args.add("--set=" + k + "=" + v));
        int maxParallelism =
                ConfigLoader.load(JobArgs.parse(args.toArray(String[]::new)), tidemarkJob.options())
                        .get(TidemarkOptions.MAX_PARALLELISM);

        FlinkRest rest = new FlinkRest(cluster.restUrl());
        FlinkRest.JobOverview running =
                rest.activeJob(previous.flinkJobName())
                        .filter(j -> j.state().equals("RUNNING"))
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                previous.flinkJobName()
                                                        + " is not running on "
                                                        + rest.url()
                                                        + "; tidemark jobs shows what runs"));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "Stopping %s (%s) with a savepoint ...%n", previous.flinkJobName(), running.id());
        out.flush();
        String location = rest.stopWithSavepoint(running.id(), null, SAVEPOINT_TIMEOUT);
        rest.awaitState(running.id(), "FINISHED", SAVEPOINT_TIMEOUT);
        out.printf("Savepoint: %s%n", location);

        GateReport report =
                SavepointGate.check(
                        tidemarkJob,
                        JobSubmitter.localPath(location),
                        maxParallelism,
                        allowDropped);
        out.print(report.render());
        out.flush();
        JobSubmitter submitter = new JobSubmitter(rest);
        String mainClass = tidemarkJob.getClass().getName();
        if (!report.passes()) {
            String resumed =
                    submitter.run(previous.jar(), mainClass, previous.args(), location, false);
            new Submission(previous.job(), name, previous.jar(), previous.args(), resumed, location)
                    .writeTo(cluster.workDir());
            out.printf(
                    "Upgrade refused; the previous version (%s) resumed from the savepoint as job %s.%n",
                    previous.jar().getFileName(), resumed);
            out.flush();
            return SavepointCheckCommand.REFUSED;
        }
        String jobId = submitter.run(jar, mainClass, args, location, !allowDropped.isEmpty());
        new Submission(previous.job(), name, jar.toAbsolutePath(), args, jobId, location)
                .writeTo(cluster.workDir());
        out.printf(
                "Upgraded %s: job %s runs %s from %s%n",
                previous.flinkJobName(), jobId, jar.getFileName(), location);
        out.flush();
        return 0;
    }
}
