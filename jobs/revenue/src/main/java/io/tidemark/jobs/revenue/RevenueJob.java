package io.tidemark.jobs.revenue;

import io.tidemark.common.joins.JoinStageJob;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.job.JobLauncher;
import io.tidemark.common.runtime.job.JobTopic;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the revenue job ({@link JobLauncher}: arguments → config → environment → topology
 * → execute), and what tools need to know to run it ({@code TidemarkJob}).
 *
 * <pre>
 *   flink run -c io.tidemark.jobs.revenue.RevenueJob tidemark-job-revenue.jar \
 *       --set kafka.bootstrap.servers=broker:9092 [--config revenue.yaml] [--set key=value]...
 * </pre>
 */
public final class RevenueJob extends JoinStageJob {

    public static void main(String[] args) throws Exception {
        JobLauncher.run(new RevenueJob(), args);
    }

    @Override
    public String name() {
        return RevenueUids.JOB;
    }

    @Override
    public List<ConfigOption<?>> options() {
        return RevenueConfig.options();
    }

    @Override
    public List<JobTopic> outputs(Configuration conf) {
        return List.of(
                new JobTopic("output-1m", conf.get(RevenueConfig.WINDOW_TOPIC), "RevenueAggregate"),
                new JobTopic(
                        "output-1h", conf.get(RevenueConfig.ROLLUP_TOPIC), "RevenueAggregate"));
    }

    @Override
    public List<String> operatorUids() {
        return RevenueUids.all();
    }

    @Override
    public void build(StreamExecutionEnvironment env, Configuration conf, InputTap tap) {
        RevenueTopology.wire(env, RevenueConfig.from(conf), tap);
    }
}
