package io.tidemark.jobs.sessionization;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Sessionization runs with object reuse (its operators were audited for it, see {@link
 * SessionizationTopology}) unless the user configures {@code flink.pipeline.object-reuse}.
 */
class SessionizationObjectReuseTest {

    private static StreamExecutionEnvironment built(Map<String, String> overrides) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("kafka.bootstrap.servers", "localhost:9");
        raw.put("sink.delivery-guarantee", "AT_LEAST_ONCE");
        raw.putAll(overrides);
        SessionizationJob job = new SessionizationJob();
        Configuration conf = ConfigLoader.validate(raw, job.options(), Map.of());
        StreamExecutionEnvironment env =
                TidemarkEnvironment.create(TidemarkConfig.from(conf, job.name()));
        job.build(env, conf);
        return env;
    }

    @Test
    void objectReuseIsOnByDefault() {
        assertThat(built(Map.of()).getConfig().isObjectReuseEnabled()).isTrue();
    }

    @Test
    void aConfiguredObjectReuseWins() {
        assertThat(
                        built(Map.of("flink.pipeline.object-reuse", "false"))
                                .getConfig()
                                .isObjectReuseEnabled())
                .isFalse();
    }
}
