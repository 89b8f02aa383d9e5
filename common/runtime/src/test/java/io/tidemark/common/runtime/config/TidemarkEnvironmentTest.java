package io.tidemark.common.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class TidemarkEnvironmentTest {

    private static TidemarkConfig config(Map<String, String> extra) {
        Map<String, String> raw = new java.util.HashMap<>(extra);
        raw.put("kafka.bootstrap.servers", "b:9092");
        return TidemarkConfig.from(
                ConfigLoader.validate(raw, java.util.List.of(), Map.of()), "job");
    }

    @Test
    void defaultsAreRocksDbIncrementalExactlyOnceNoKryoNoAutoUids() {
        Configuration conf = TidemarkEnvironment.flinkConfiguration(config(Map.of()));

        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
                .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(conf.get(PipelineOptions.AUTO_GENERATE_UIDS)).isFalse();
    }

    @Test
    void maxParallelismIsAlwaysSetExplicitly() {
        // Left to Flink, it would be derived from the first run's parallelism and frozen by the
        // first savepoint; every Tidemark job states it.
        assertThat(
                        TidemarkEnvironment.flinkConfiguration(config(Map.of()))
                                .get(PipelineOptions.MAX_PARALLELISM))
                .isEqualTo(128);
        assertThat(
                        TidemarkEnvironment.create(config(Map.of("max-parallelism", "256")))
                                .getMaxParallelism())
                .isEqualTo(256);
    }

    @Test
    void flinkPassThroughOverridesDefaults() {
        Configuration conf =
                TidemarkEnvironment.flinkConfiguration(
                        config(Map.of("flink.state.backend.type", "hashmap")));
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
    }

    @Test
    void operatorWithoutUidFailsWhenTheJobGraphIsBuilt() {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        TidemarkEnvironment.flinkConfiguration(config(Map.of())));
        env.fromData(Types.LONG, 1L, 2L)
                .uid("test.source")
                .map(x -> x + 1)
                .returns(Types.LONG)
                .name("no uid here");

        assertThatThrownBy(env::getStreamGraph)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no UID or hash has been assigned to operator no uid here");
    }
}
