package io.tidemark.common.runtime.job;

import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.JobArgs;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
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
        job.build(env, conf);
        env.execute("tidemark-" + common.jobName());
    }
}
