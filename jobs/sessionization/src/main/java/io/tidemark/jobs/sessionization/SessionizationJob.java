package io.tidemark.jobs.sessionization;

import io.tidemark.common.runtime.config.TidemarkEnvironment;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the sessionization job: arguments → config → environment → topology → execute.
 *
 * <pre>
 *   flink run -c io.tidemark.jobs.sessionization.SessionizationJob tidemark-job-sessionization.jar \
 *       --set kafka.bootstrap.servers=broker:9092 [--config sessionization.yaml] [--set key=value]...
 * </pre>
 */
public final class SessionizationJob implements TidemarkJob {

    private static final Logger LOG = LoggerFactory.getLogger(SessionizationJob.class);

    public static void main(String[] args) throws Exception {
        SessionizationConfig config = SessionizationConfig.fromArgs(args);
        LOG.info("Starting {}", config);
        StreamExecutionEnvironment env = TidemarkEnvironment.create(config.common());
        SessionizationTopology.wire(env, config);
        env.execute("tidemark-" + config.common().jobName());
    }

    @Override
    public String name() {
        return SessionizationUids.JOB;
    }

    @Override
    public List<ConfigOption<?>> options() {
        return SessionizationConfig.options();
    }

    @Override
    public List<JobTopic> inputs(Configuration conf) {
        return List.of(new JobTopic("clicks", conf.get(SessionizationConfig.INPUT_TOPIC), "Click"));
    }

    @Override
    public List<JobTopic> outputs(Configuration conf) {
        return List.of(
                new JobTopic("output", conf.get(SessionizationConfig.OUTPUT_TOPIC), "UserSession"));
    }

    @Override
    public List<String> operatorUids() {
        return SessionizationUids.all();
    }

    @Override
    public void build(StreamExecutionEnvironment env, Configuration conf, InputTap tap) {
        SessionizationTopology.wire(env, SessionizationConfig.from(conf), tap);
    }
}
