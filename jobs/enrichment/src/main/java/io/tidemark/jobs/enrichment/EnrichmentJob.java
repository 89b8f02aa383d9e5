package io.tidemark.jobs.enrichment;

import io.tidemark.common.joins.JoinStageJob;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.job.JobLauncher;
import io.tidemark.common.runtime.job.JobTopic;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the enrichment job ({@link JobLauncher}: arguments → config → environment →
 * topology → execute), and what tools need to know to run it ({@code TidemarkJob}).
 *
 * <pre>
 *   flink run -c io.tidemark.jobs.enrichment.EnrichmentJob tidemark-job-enrichment.jar \
 *       --set kafka.bootstrap.servers=broker:9092 [--config enrichment.yaml] [--set key=value]...
 * </pre>
 */
public final class EnrichmentJob extends JoinStageJob {

    public static void main(String[] args) throws Exception {
        JobLauncher.run(new EnrichmentJob(), args);
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
