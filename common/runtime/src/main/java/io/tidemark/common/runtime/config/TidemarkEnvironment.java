package io.tidemark.common.runtime.config;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Creates the execution environment with Tidemark's defaults: RocksDB with incremental checkpoints,
 * exactly-once checkpointing, an explicit max parallelism, no Kryo fallback, and uids required
 * (Flink's auto-generated uids are off, so an operator without a uid fails when the job graph is
 * built).
 */
public final class TidemarkEnvironment {

    private TidemarkEnvironment() {}

    /** The Flink configuration a job runs with; {@code flink.*} properties override defaults. */
    public static Configuration flinkConfiguration(TidemarkConfig config) {
        Configuration conf = new Configuration();
        boolean batch = config.executionMode() == ExecutionMode.BATCH;
        conf.set(
                ExecutionOptions.RUNTIME_MODE,
                batch ? RuntimeExecutionMode.BATCH : RuntimeExecutionMode.STREAMING);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(
                StateBackendOptions.STATE_BACKEND,
                config.stateBackend() == StateBackendKind.ROCKSDB ? "rocksdb" : "hashmap");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        if (!batch && !config.checkpointInterval().isZero()) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        }
        if (config.checkpointDir() != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDir());
        }
        if (config.parallelism() != null) {
            conf.set(
                    org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM,
                    config.parallelism());
        }
        conf.set(PipelineOptions.MAX_PARALLELISM, config.maxParallelism());
        config.flinkProperties().forEach(conf::setString);
        return conf;
    }

    /** The environment of the current context (cluster, MiniCluster or local). */
    public static StreamExecutionEnvironment create(TidemarkConfig config) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        if (config.parallelism() != null) {
            env.setParallelism(config.parallelism());
        }
        env.setMaxParallelism(config.maxParallelism());
        return env;
    }
}
