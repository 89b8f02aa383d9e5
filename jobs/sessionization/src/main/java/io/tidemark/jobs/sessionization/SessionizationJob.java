package io.tidemark.jobs.sessionization;

import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.job.JobLauncher;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the sessionization job ({@link JobLauncher}: arguments → config → environment →
 * topology → execute), and what tools need to know to run it ({@link TidemarkJob}).
 *
 * <pre>
 *   flink run -c io.tidemark.jobs.sessionization.SessionizationJob tidemark-job-sessionization.jar \
 *       --set kafka.bootstrap.servers=broker:9092 [--config sessionization.yaml] [--set key=value]...
 * </pre>
 */
public final class SessionizationJob implements TidemarkJob {

    public static void main(String[] args) throws Exception {
        JobLauncher.run(new SessionizationJob(), args);
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
