package io.tidemark.jobs.enrichment;

import io.tidemark.common.joins.EnrichmentInputs;
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
 * Entry point of the enrichment job: arguments → config → environment → topology → execute.
 *
 * <pre>
 *   flink run -c io.tidemark.jobs.enrichment.EnrichmentJob tidemark-job-enrichment.jar \
 *       --set kafka.bootstrap.servers=broker:9092 [--config enrichment.yaml] [--set key=value]...
 * </pre>
 */
public final class EnrichmentJob implements TidemarkJob {

    private static final Logger LOG = LoggerFactory.getLogger(EnrichmentJob.class);

    public static void main(String[] args) throws Exception {
        EnrichmentConfig config = EnrichmentConfig.fromArgs(args);
        LOG.info("Starting {}", config);
        StreamExecutionEnvironment env = TidemarkEnvironment.create(config.common());
        EnrichmentTopology.wire(env, config);
        env.execute("tidemark-" + config.common().jobName());
    }

    @Override
    public String name() {
        return EnrichmentUids.JOB;
    }

    @Override
    public List<ConfigOption<?>> options() {
        return EnrichmentConfig.options();
    }

    @Override
    public List<JobTopic> inputs(Configuration conf) {
        return EnrichmentInputs.from(conf).topics();
    }

    @Override
    public List<JobTopic> outputs(Configuration conf) {
        return List.of(
                new JobTopic("output", conf.get(EnrichmentConfig.OUTPUT_TOPIC), "EnrichedOrder"));
    }

    @Override
    public List<String> operatorUids() {
        return EnrichmentUids.all();
    }

    @Override
    public void build(StreamExecutionEnvironment env, Configuration conf, InputTap tap) {
        EnrichmentTopology.wire(env, EnrichmentConfig.from(conf), tap);
    }
}
