package io.tidemark.common.runtime.job;

import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.JobArgs;
import io.tidemark.common.runtime.config.PreflightMode;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import io.tidemark.common.runtime.config.TidemarkOptions;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every job's {@code main} does, once: arguments → validated configuration → environment →
 * topology → execute. A bad key or value fails here, before anything is submitted, with a message
 * naming the key and what it accepts.
 */
public final class JobLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(JobLauncher.class);

    private JobLauncher() {}

    /**
     * Runs {@code job} with {@code args} ({@code [--config FILE.yaml] [--set key=value]...} and the
     * backfill options, see {@link JobArgs}) in the current Flink context: a cluster under {@code
     * flink run}, a local MiniCluster otherwise.
     */
    public static void run(TidemarkJob job, String[] args) throws Exception {
        Configuration conf = ConfigLoader.load(JobArgs.parse(args), job.options());
        TidemarkConfig common = TidemarkConfig.from(conf, job.name());
        LOG.info("Starting {} with {}", job.name(), ConfigLoader.redacted(conf));
        StreamExecutionEnvironment env = TidemarkEnvironment.create(common);
        build(job, env, conf, common);
        env.execute("tidemark-" + common.jobName());
    }

    /**
     * Builds the job, running the sink preflight's broker check once per submission: when {@code
     * main} runs again for a submission that was already checked (a JobManager failover in
     * application mode with HA, see {@link PreflightMarker}), the check is switched off ({@code
     * sink.preflight=OFF}); the checks that need no broker still run.
     *
     * @return the marker of this submission, if it has one
     */
    static Optional<PreflightMarker> build(
            TidemarkJob job,
            StreamExecutionEnvironment env,
            Configuration conf,
            TidemarkConfig common) {
        Optional<PreflightMarker> marker = PreflightMarker.of(env.getConfiguration(), common);
        Configuration effective = conf;
        if (marker.isPresent()
                && common.preflightMode() != PreflightMode.OFF
                && marker.get().exists()) {
            LOG.info(
                    "The sink preflight already ran for this submission ({}): main() runs again"
                            + " after a JobManager failover; not asking the brokers again",
                    marker.get());
            effective = new Configuration(conf);
            effective.set(TidemarkOptions.SINK_PREFLIGHT, PreflightMode.OFF);
        }
        job.build(env, effective);
        marker.ifPresent(PreflightMarker::write);
        return marker;
    }
}
