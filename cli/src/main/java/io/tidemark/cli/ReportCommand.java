package io.tidemark.cli;

import io.tidemark.cli.cluster.FlinkRest;
import io.tidemark.cli.report.JobReport;
import io.tidemark.cli.report.LiveJobReport;
import io.tidemark.cli.report.ReplayReport;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tidemark report <job>}: counts, lateness per partition and watermark progress. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Shows a job's records in, on time, late, DLQ per reason, duplicates, lateness and the"
                    + " largest event time per source partition, the watermark lag and each"
                    + " operator's input watermark: from the Flink metrics of the running job"
                    + " (default: on the local cluster), or from a replay's output directory"
                    + " (--replay DIR)."
        })
final class ReportCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin JobParameter job;

    @Mixin LocalClusterOptions cluster;

    @Option(
            names = "--name",
            paramLabel = "JOB_NAME",
            description = "The job.name it runs under (default: the job's name).")
    String jobName;

    @Option(
            names = "--replay",
            paramLabel = "DIR",
            description = "Report a finished replay/demo/backfill output directory instead.")
    Path replay;

    @Override
    public Integer call() {
        TidemarkJob tidemarkJob = job.job();
        JobReport report;
        if (replay != null) {
            report = ReplayReport.from(tidemarkJob.name(), replay);
        } else {
            FlinkRest rest = new FlinkRest(cluster.restUrl());
            String name = "tidemark-" + (jobName != null ? jobName : tidemarkJob.name());
            String jobId =
                    rest.activeJob(name)
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    name
                                                            + " is not running on "
                                                            + rest.url()
                                                            + "; tidemark jobs shows what runs"))
                            .id();
            report = LiveJobReport.from(rest, jobId);
        }
        report.render(spec.commandLine().getOut());
        return 0;
    }
}
