package io.tidemark.cli;

import io.tidemark.cli.cluster.FlinkRest;
import io.tidemark.cli.cluster.JobSubmitter;
import io.tidemark.cli.cluster.Submission;
import io.tidemark.cli.cluster.TidemarkHome;
import io.tidemark.common.postgres.PostgresOptions;
import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.JobArgs;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tidemark submit <job>}: runs a job jar on a Flink session cluster. */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = {
            "Submits JOB to a Flink session cluster (default: the local cluster) through the REST"
                    + " API: uploads the job jar and runs it with the job's arguments. The"
                    + " configuration is validated here first; a bad key fails before anything is"
                    + " uploaded. Prints the job id once every task runs."
        })
final class SubmitCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin JobParameter job;

    @Mixin LocalClusterOptions cluster;

    @Option(
            names = "--jar",
            paramLabel = "JAR",
            description = "The job jar (default: jobs/<job>/target/tidemark-job-<job>-*-job.jar).")
    Path jar;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A job configuration file (YAML), read by main() on the JobManager.")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Job configuration (docs/operations.md §3); kafka.bootstrap.servers defaults to"
                            + " the cluster's broker, and sink.postgres.url/.user to the local"
                            + " cluster's PostgreSQL when it runs one (--set sink.postgres.url="
                            + " turns the read model off).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description = "Resume from this savepoint (check it first: tidemark savepoint check).")
    String savepoint;

    @Override
    public Integer call() {
        TidemarkJob tidemarkJob = job.job();
        Path jobJar = jar != null ? jar : TidemarkHome.locate().jobJar(tidemarkJob.name());
        if (!Files.isRegularFile(jobJar)) {
            throw CliOptions.invalid(spec, "--jar " + jobJar + ": no such file");
        }
        Map<String, String> readModel = cluster.postgresSettings();
        List<String> args = programArgs(cluster.bootstrap(), readModel, config, overrides);
        String jobName = jobName(tidemarkJob, args);
        FlinkRest rest = new FlinkRest(cluster.restUrl());
        rest.activeJob("tidemark-" + jobName)
                .ifPresent(
                        running -> {
                            throw new IllegalStateException(
                                    "tidemark-"
                                            + jobName
                                            + " already runs as job "
                                            + running.id()
                                            + " ("
                                            + running.state()
                                            + "); upgrade it (tidemark upgrade) or run another"
                                            + " instance with --set job.name=...");
                        });
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Submitting %s (%s) to %s ...%n", jobName, jobJar.getFileName(), rest.url());
        String readModelUrl = readModel.get(PostgresOptions.URL.key());
        if (readModelUrl != null
                && args.contains("--set=" + PostgresOptions.URL.key() + "=" + readModelUrl)) {
            out.printf("Read model: the local cluster's PostgreSQL, %s%n", readModelUrl);
        }
        out.flush();
        String jobId =
                new JobSubmitter(rest)
                        .run(jobJar, tidemarkJob.getClass().getName(), args, savepoint, false);
        new Submission(tidemarkJob.name(), jobName, jobJar.toAbsolutePath(), args, jobId, savepoint)
                .writeTo(cluster.workDir());
        out.printf("Job tidemark-%s runs: %s%n", jobName, jobId);
        out.printf("Web UI: %s/#/job/running/%s/overview%n", rest.url(), jobId);
        out.flush();
        return 0;
    }

    /**
     * The job's program arguments: the broker unless configured otherwise, the config file
     * (absolute, since main() runs elsewhere), then every --set in order.
     */
    static List<String> programArgs(String bootstrap, Path config, Map<String, String> overrides) {
        return programArgs(bootstrap, Map.of(), config, overrides);
    }

    /**
     * The job's program arguments: the broker and the cluster's read model ({@code
     * sink.postgres.*}, possibly none) unless configured otherwise by {@code --set} or the file,
     * the config file (absolute, since main() runs elsewhere), then every --set in order.
     */
    static List<String> programArgs(
            String bootstrap,
            Map<String, String> readModel,
            Path config,
            Map<String, String> overrides) {
        List<String> args = new ArrayList<>();
        if (!overrides.containsKey("kafka.bootstrap.servers")) {
            args.add("--set=kafka.bootstrap.servers=" + bootstrap);
        }
        if (!readModel.isEmpty()) {
            Configuration file =
                    config == null
                            ? new Configuration()
                            : ConfigLoader.load(
                                    new JobArgs(config, Map.of()), ReadModelOptions.knownOptions());
            boolean configured =
                    overrides.containsKey(PostgresOptions.URL.key())
                            || file.containsKey(PostgresOptions.URL.key());
            if (!configured) {
                readModel.forEach(
                        (key, value) -> {
                            if (!overrides.containsKey(key) && !file.containsKey(key)) {
                                args.add("--set=" + key + "=" + value);
                            }
                        });
            }
        }
        if (config != null) {
            args.add("--config=" + config.toAbsolutePath());
        }
        overrides.forEach((k, v) -> args.add("--set=" + k + "=" + v));
        return args;
    }

    /** Validates the arguments as the job's main() will, and returns the configured job.name. */
    static String jobName(TidemarkJob job, List<String> args) {
        Configuration conf =
                ConfigLoader.load(JobArgs.parse(args.toArray(String[]::new)), job.options());
        return TidemarkConfig.from(conf, job.name()).jobName();
    }
}
