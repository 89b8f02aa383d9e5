package io.tidemark.common.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.schemas.Click;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkPreflightTest {

    private static TidemarkConfig config(Map<String, String> extra) {
        Map<String, String> raw = new HashMap<>(extra);
        raw.put("kafka.bootstrap.servers", "localhost:1");
        return TidemarkConfig.from(ConfigLoader.validate(raw, List.of(), Map.of()), "job");
    }

    private static OutputSink<Click> sink(String name, TidemarkConfig config) {
        return KafkaOutputs.sink(name, Click.class)
                .topic("out-" + name)
                .key(Click::getEventId)
                .timestamp(c -> c.getEventTime().toEpochMilli())
                .config(config)
                .build();
    }

    @Test
    void sinksWithDistinctNamesPass() {
        TidemarkConfig config = config(Map.of());
        assertThatCode(
                        () ->
                                SinkPreflight.checkLocal(
                                        config, List.of(sink("a", config), sink("b", config))))
                .doesNotThrowAnyException();
    }

    @Test
    void twoSinksSharingAPrefixFail() {
        TidemarkConfig config = config(Map.of());
        OutputSink<Click> a = sink("a", config);
        OutputSink<Click> b =
                KafkaOutputs.sink("b", Click.class)
                        .topic("out-b")
                        .key(Click::getEventId)
                        .timestamp(c -> 0L)
                        .config(config)
                        .transactionalIdPrefix(a.transactionalIdPrefix())
                        .build();

        assertThatThrownBy(() -> SinkPreflight.checkLocal(config, List.of(a, b)))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("'a' and 'b'")
                .hasMessageContaining("share the transactional id prefix 'job-a'");
    }

    @Test
    void exactlyOnceWithoutCheckpointingFailsInStreaming() {
        TidemarkConfig config = config(Map.of("checkpoint.interval", "0 s"));
        assertThatThrownBy(() -> SinkPreflight.checkLocal(config, List.of(sink("a", config))))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("EXACTLY_ONCE needs checkpointing")
                .hasMessageContaining("checkpoint.interval");
    }

    @Test
    void atLeastOnceWithoutCheckpointingPasses() {
        TidemarkConfig config =
                config(
                        Map.of(
                                "checkpoint.interval", "0 s",
                                "sink.delivery-guarantee", "AT_LEAST_ONCE"));
        assertThatCode(() -> SinkPreflight.checkLocal(config, List.of(sink("a", config))))
                .doesNotThrowAnyException();
    }

    @Test
    void batchNeedsNoCheckpointing() {
        TidemarkConfig config =
                config(Map.of("checkpoint.interval", "0 s", "execution.mode", "BATCH"));
        assertThatCode(() -> SinkPreflight.checkLocal(config, List.of(sink("a", config))))
                .doesNotThrowAnyException();
    }

    @Test
    void timeoutAboveBrokerMaximumFails() {
        TidemarkConfig config = config(Map.of("sink.transaction-timeout", "16 min"));
        assertThatThrownBy(() -> SinkPreflight.checkTimeouts(List.of(sink("a", config)), 900_000))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("transaction.timeout.ms=960000")
                .hasMessageContaining("transaction.max.timeout.ms=900000")
                .hasMessageContaining("sink.transaction-timeout");
    }

    @Test
    void sinkBuilderFailsOnMissingKeyFunction() {
        assertThatThrownBy(
                        () ->
                                KafkaOutputs.sink("a", Click.class)
                                        .topic("t")
                                        .timestamp(c -> 0L)
                                        .bootstrapServers("b:1")
                                        .transactionalIdPrefix("p")
                                        .build())
                .hasMessageContaining("Kafka sink 'a'")
                .hasMessageContaining("key function is required");
    }

    @Test
    void unreachableBrokerFailsWithAClearMessage() {
        TidemarkConfig config =
                config(
                        Map.of(
                                "kafka.request.timeout.ms", "500",
                                "kafka.default.api.timeout.ms", "1000"));
        assertThatThrownBy(() -> SinkPreflight.check(config, List.of(sink("a", config))))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("Could not ask the Kafka cluster at localhost:1");
    }
}
