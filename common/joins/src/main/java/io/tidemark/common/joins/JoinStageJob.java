package io.tidemark.common.joins;

import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * A job that reads its input through the temporal-join stage: its inputs are the stage's orders,
 * products and customers topics, named by the stage's options ({@link EnrichmentInputs}), so every
 * such job is loaded, replayed and backfilled the same way.
 */
public abstract class JoinStageJob implements TidemarkJob {

    @Override
    public final List<JobTopic> inputs(Configuration conf) {
        return EnrichmentInputs.from(conf).topics();
    }
}
