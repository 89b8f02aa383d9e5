package io.tidemark.common.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.InvalidConfigException;
import io.tidemark.common.runtime.config.PreflightMode;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.schemas.Click;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
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
                .hasMessageContaining("configuration key 'sink.transaction-timeout'")
                .hasMessageContaining("Expected a duration between 1 ms and 15 min");
    }

    // ---------------------------------------------------------------- transaction timeout

    @Test
    void transactionTimeoutOutsideKafkasRangeIsRejectedAtStartNamingKeyAndRange() {
        for (String bad : List.of("0 ms", "25 d")) {
            assertThatThrownBy(() -> config(Map.of("sink.transaction-timeout", bad)))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("for configuration key 'sink.transaction-timeout'")
                    .hasMessageContaining("expected a duration between 1 ms and the brokers'")
                    .hasMessageContaining("transaction.max.timeout.ms");
        }
    }

    @Test
    void transactionTimeoutNotLongerThanTheCheckpointIntervalFails() {
        TidemarkConfig config =
                config(Map.of("checkpoint.interval", "5 min", "sink.transaction-timeout", "5 min"));
        assertThatThrownBy(() -> SinkPreflight.checkLocal(config, List.of(sink("a", config))))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("'5 min' for configuration key 'sink.transaction-timeout'")
                .hasMessageContaining("checkpoint.interval=5 min")
                .hasMessageContaining("Expected a duration above 5 min");
    }

    @Test
    void theBrokersMaximumIsAskedAndEnforcedAtStart() {
        TidemarkConfig config = config(Map.of("sink.transaction-timeout", "20 min"));
        assertThatThrownBy(
                        () ->
                                SinkPreflight.check(
                                        config, List.of(sink("a", config)), props -> 900_000L))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("between 1 ms and 15 min");
        assertThat(SinkPreflight.check(config, List.of(sink("a", config)), props -> 3_600_000L))
                .isEqualTo(SinkPreflight.BrokerCheck.CHECKED);
    }

    // ---------------------------------------------------------------- sink.preflight

    private static SinkPreflight.BrokerLimit refusing(Exception e) {
        return props -> {
            throw e;
        };
    }

    @Test
    void notAuthorisedToDescribeConfigsWarnsAndStartsByDefault() {
        TidemarkConfig config = config(Map.of());
        assertThat(config.preflightMode()).isEqualTo(PreflightMode.TOLERANT);
        assertThat(
                        SinkPreflight.check(
                                config,
                                List.of(sink("a", config)),
                                refusing(
                                        new ExecutionException(
                                                new ClusterAuthorizationException(
                                                        "Cluster authorization failed.")))))
                .isEqualTo(SinkPreflight.BrokerCheck.NOT_AUTHORISED);
        assertThat(
                        SinkPreflight.check(
                                config,
                                List.of(sink("a", config)),
                                refusing(new TopicAuthorizationException("denied"))))
                .isEqualTo(SinkPreflight.BrokerCheck.NOT_AUTHORISED);
    }

    @Test
    void notAuthorisedFailsWhenStrict() {
        TidemarkConfig config = config(Map.of("sink.preflight", "STRICT"));
        assertThatThrownBy(
                        () ->
                                SinkPreflight.check(
                                        config,
                                        List.of(sink("a", config)),
                                        refusing(
                                                new ExecutionException(
                                                        new ClusterAuthorizationException(
                                                                "Cluster authorization failed.")))))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("sink.preflight=STRICT")
                .hasMessageContaining("DescribeConfigs ACL")
                .hasMessageContaining("ClusterAuthorizationException");
    }

    @Test
    void otherFailuresStillFailWhenTolerant() {
        TidemarkConfig config = config(Map.of());
        assertThatThrownBy(
                        () ->
                                SinkPreflight.check(
                                        config,
                                        List.of(sink("a", config)),
                                        refusing(
                                                new ExecutionException(
                                                        new SaslAuthenticationException(
                                                                "bad password")))))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("Could not ask the Kafka cluster")
                .hasMessageContaining("kafka.sasl.*")
                .hasMessageContaining("bad password");
    }

    @Test
    void offDoesNotAskTheBrokersButStillRunsTheLocalChecks() {
        TidemarkConfig config = config(Map.of("sink.preflight", "OFF"));
        assertThat(
                        SinkPreflight.check(
                                config,
                                List.of(sink("a", config)),
                                refusing(new IllegalStateException("must not be asked"))))
                .isEqualTo(SinkPreflight.BrokerCheck.SKIPPED);
        TidemarkConfig noCheckpoints =
                config(Map.of("sink.preflight", "OFF", "checkpoint.interval", "0 s"));
        assertThatThrownBy(
                        () ->
                                SinkPreflight.check(
                                        noCheckpoints,
                                        List.of(sink("a", noCheckpoints)),
                                        props -> 900_000L))
                .hasMessageContaining("EXACTLY_ONCE needs checkpointing");
    }

    @Test
    void unknownPreflightModeIsRejected() {
        assertThatThrownBy(() -> config(Map.of("sink.preflight", "LENIENT")))
                .hasMessageContaining("sink.preflight");
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
