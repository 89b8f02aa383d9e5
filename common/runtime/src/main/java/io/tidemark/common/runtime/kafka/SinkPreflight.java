package io.tidemark.common.runtime.kafka;

import io.tidemark.common.runtime.config.DeliveryGuarantee;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Checks, before a job starts, what would otherwise fail later or silently break exactly-once:
 *
 * <ul>
 *   <li>exactly-once sinks in STREAMING without checkpointing (nothing would ever commit);
 *   <li>two sinks sharing a transactional-id prefix (they would fence each other);
 *   <li>a transaction timeout above the broker's {@code transaction.max.timeout.ms} (the producer
 *       would be rejected at start).
 * </ul>
 */
public final class SinkPreflight {

    public static final String BROKER_MAX_TIMEOUT_KEY = "transaction.max.timeout.ms";

    private SinkPreflight() {}

    /** All checks, asking the configured Kafka cluster for its limit. */
    public static void check(TidemarkConfig config, Collection<? extends OutputSink<?>> sinks) {
        checkLocal(config, sinks);
        if (sinks.stream().anyMatch(s -> s.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE)) {
            long brokerMax = brokerMaxTransactionTimeoutMs(config.kafkaProperties());
            checkTimeouts(sinks, brokerMax);
        }
    }

    /** The checks that need no broker. */
    public static void checkLocal(
            TidemarkConfig config, Collection<? extends OutputSink<?>> sinks) {
        Map<String, String> prefixes = new HashMap<>();
        for (OutputSink<?> sink : sinks) {
            if (sink.transactionalIdPrefix() == null) {
                continue;
            }
            String other = prefixes.putIfAbsent(sink.transactionalIdPrefix(), sink.name());
            if (other != null) {
                throw new PreflightException(
                        "Sinks '"
                                + other
                                + "' and '"
                                + sink.name()
                                + "' share the transactional id prefix '"
                                + sink.transactionalIdPrefix()
                                + "': each exactly-once sink needs its own, or they fence each"
                                + " other's transactions. Give the sinks distinct names or set"
                                + " sink.transactional-id-prefix per job.");
            }
        }
        boolean exactlyOnce =
                sinks.stream()
                        .anyMatch(s -> s.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE);
        if (exactlyOnce && config.executionMode() == ExecutionMode.STREAMING) {
            Configuration flink = TidemarkEnvironment.flinkConfiguration(config);
            Duration interval =
                    flink.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).orElse(null);
            if (interval == null || interval.isZero() || interval.isNegative()) {
                throw new PreflightException(
                        "sink.delivery-guarantee=EXACTLY_ONCE needs checkpointing in STREAMING"
                                + " mode, but checkpoint.interval is off: transactions commit"
                                + " only on checkpoints, so no output would ever become"
                                + " visible. Set checkpoint.interval (e.g. 10 s) or"
                                + " sink.delivery-guarantee=AT_LEAST_ONCE.");
            }
        }
    }

    /** Fails when a sink's transaction timeout exceeds the broker's maximum. */
    public static void checkTimeouts(Collection<? extends OutputSink<?>> sinks, long brokerMaxMs) {
        for (OutputSink<?> sink : sinks) {
            if (sink.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE
                    && sink.transactionTimeoutMs() > brokerMaxMs) {
                throw new PreflightException(
                        "Sink '"
                                + sink.name()
                                + "' uses transaction.timeout.ms="
                                + sink.transactionTimeoutMs()
                                + " (sink.transaction-timeout), above the broker's "
                                + BROKER_MAX_TIMEOUT_KEY
                                + "="
                                + brokerMaxMs
                                + ": the broker would reject the producer. Lower"
                                + " sink.transaction-timeout to at most "
                                + Duration.ofMillis(brokerMaxMs)
                                + ".");
            }
        }
    }

    /** Reads {@code transaction.max.timeout.ms} from the brokers (the smallest one wins). */
    public static long brokerMaxTransactionTimeoutMs(Properties kafkaProperties) {
        Properties props = (Properties) kafkaProperties.clone();
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(props)) {
            Collection<Node> nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            OptionalLong min = OptionalLong.empty();
            for (Node node : nodes) {
                ConfigResource broker =
                        new ConfigResource(ConfigResource.Type.BROKER, node.idString());
                Config config =
                        admin.describeConfigs(java.util.List.of(broker))
                                .all()
                                .get(30, TimeUnit.SECONDS)
                                .get(broker);
                ConfigEntry entry = config.get(BROKER_MAX_TIMEOUT_KEY);
                if (entry != null && entry.value() != null) {
                    long value = Long.parseLong(entry.value());
                    min =
                            OptionalLong.of(
                                    min.isPresent() ? Math.min(min.getAsLong(), value) : value);
                }
            }
            return min.orElse(KafkaOutputs.DEFAULT_BROKER_MAX_TRANSACTION_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PreflightException("interrupted while asking Kafka for its limits", e);
        } catch (Exception e) {
            throw new PreflightException(
                    "Could not ask the Kafka cluster at "
                            + props.getProperty("bootstrap.servers")
                            + " for "
                            + BROKER_MAX_TIMEOUT_KEY
                            + " (check kafka.bootstrap.servers and kafka.security.*): "
                            + e,
                    e);
        }
    }
}
