package io.tidemark.cli;

import io.tidemark.cli.cluster.FlinkRest;
import io.tidemark.cli.cluster.Submission;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tidemark jobs}: what runs on the cluster. */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description =
                "Lists the cluster's jobs (running first): name, state, id, start time, and for jobs"
                        + " the CLI submitted, the jar and the savepoint they started from.")
final class JobsCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin LocalClusterOptions cluster;

    @Option(names = "--all", description = "Also finished, cancelled and failed jobs.")
    boolean all;

    @Override
    public Integer call() {
        FlinkRest rest = new FlinkRest(cluster.restUrl());
        List<FlinkRest.JobOverview> jobs =
                rest.jobs().stream()
                        .filter(
                                j ->
                                        all
                                                || !List.of("FINISHED", "CANCELED", "FAILED")
                                                        .contains(j.state()))
                        .sorted(
                                Comparator.comparing(FlinkRest.JobOverview::name)
                                        .thenComparing(j -> -j.startTime()))
                        .toList();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "%-28s %-10s %-32s %-24s %s%n",
                "NAME", "STATE", "JOB ID", "STARTED", "JAR / FROM SAVEPOINT");
        for (FlinkRest.JobOverview job : jobs) {
            String submitted =
                    job.name().startsWith("tidemark-")
                            ? Submission.readFrom(
                                            cluster.workDir(),
                                            job.name().substring("tidemark-".length()))
                                    .filter(s -> s.jobId().equals(job.id()))
                                    .map(
                                            s ->
                                                    s.jar().getFileName()
                                                            + (s.savepoint() == null
                                                                    ? ""
                                                                    : " / " + s.savepoint()))
                                    .orElse("")
                            : "";
            out.printf(
                    "%-28s %-10s %-32s %-24s %s%n",
                    job.name(),
                    job.state(),
                    job.id(),
                    Instant.ofEpochMilli(job.startTime()),
                    submitted);
        }
        if (jobs.isEmpty()) {
            out.println("(no " + (all ? "" : "running ") + "jobs)");
        }
        out.flush();
        return 0;
    }
}
