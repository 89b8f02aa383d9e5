package io.tidemark.common.runtime.kafka;

import io.tidemark.common.runtime.config.DeliveryGuarantee;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.config.PreflightMode;
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
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before a job starts, what would otherwise fail later or silently break exactly-once:
 *
 * <ul>
 *   <li>exactly-once sinks in STREAMING without checkpointing (nothing would ever commit);
 *   <li>two sinks sharing a transactional-id prefix (they would fence each other);
 *   <li>a transaction timeout not longer than the checkpoint interval (every transaction would be
 *       aborted before its checkpoint commits it);
 *   <li>a transaction timeout above the broker's {@code transaction.max.timeout.ms} (the producer
 *       would be rejected at start).
 * </ul>
 *
 * <p>Only the last one asks the brokers ({@code describeConfigs}, which needs the {@code
 * DescribeConfigs} ACL on the cluster). {@code sink.preflight} decides what a refusal means: {@code
 * TOLERANT} (default) logs a warning and lets the job start, {@code STRICT} refuses to start,
 * {@code OFF} does not ask. {@code JobLauncher} switches it off when {@code main} runs again for a
 * submission that was already checked (a JobManager failover in application mode, see {@code
 * PreflightMarker}).
 */
public final class SinkPreflight {

    private static final Logger LOG = LoggerFactory.getLogger(SinkPreflight.class);

    public static final String BROKER_MAX_TIMEOUT_KEY = "transaction.max.timeout.ms";

    /** What became of the broker check. */
    public enum BrokerCheck {
        /** The brokers answered and every sink's timeout is within their maximum. */
        CHECKED,
        /** The brokers refused to answer (ACL); TOLERANT went on with a warning. */
        NOT_AUTHORISED,
        /** {@code sink.preflight=OFF}: not asked. */
        SKIPPED,
        /** No exactly-once sink: nothing to ask. */
        NOT_NEEDED
    }

    /** How the preflight asks the brokers for their {@code transaction.max.timeout.ms}. */
    @FunctionalInterface
    interface BrokerLimit {
        long maxTransactionTimeoutMs(Properties kafkaProperties) throws Exception;
    }

    private SinkPreflight() {}

    /**
     * All checks, asking the configured Kafka cluster for its limit as {@code sink.preflight} says.
     */
    public static void check(TidemarkConfig config, Collection<? extends OutputSink<?>> sinks) {
        check(config, sinks, SinkPreflight::askBrokers);
    }

    static BrokerCheck check(
            TidemarkConfig config, Collection<? extends OutputSink<?>> sinks, BrokerLimit brokers) {
        checkLocal(config, sinks);
        if (sinks.stream()
                .noneMatch(s -> s.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE)) {
            return BrokerCheck.NOT_NEEDED;
        }
        PreflightMode mode = config.preflightMode();
        if (mode == PreflightMode.OFF) {
            LOG.info("Sink preflight: broker check skipped (sink.preflight=OFF)");
            return BrokerCheck.SKIPPED;
        }
        Properties props = config.kafkaProperties();
        long brokerMax;
        try {
            brokerMax = brokers.maxTransactionTimeoutMs(props);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PreflightException("interrupted while asking Kafka for its limits", e);
        } catch (Exception e) {
            AuthorizationException denied = authorizationCause(e);
            if (denied == null) {
                throw new PreflightException(
                        "Could not ask the Kafka cluster at "
                                + props.getProperty("bootstrap.servers")
                                + " for "
                                + BROKER_MAX_TIMEOUT_KEY
                                + " (check kafka.bootstrap.servers and the kafka.security.protocol,"
                                + " kafka.sasl.*, kafka.ssl.* settings): "
                                + rootMessage(e),
                        e);
            }
            String what =
                    "the Kafka principal may not read the brokers' "
                            + BROKER_MAX_TIMEOUT_KEY
                            + " (describeConfigs needs the DescribeConfigs ACL on the cluster: "
                            + denied.getClass().getSimpleName()
                            + ")";
            if (mode == PreflightMode.STRICT) {
                throw new PreflightException(
                        "Sink preflight (sink.preflight=STRICT): "
                                + what
                                + ". Grant that ACL, or set sink.preflight=TOLERANT to start"
                                + " without the check.",
                        e);
            }
            LOG.warn(
                    "Sink preflight: {}; starting without the check (sink.preflight=TOLERANT)."
                            + " sink.transaction-timeout={} must not exceed it, or the sinks fail"
                            + " at their first transaction.",
                    what,
                    TimeUtils.formatWithHighestUnit(config.transactionTimeout()));
            return BrokerCheck.NOT_AUTHORISED;
        }
        checkTimeouts(sinks, brokerMax);
        return BrokerCheck.CHECKED;
    }

    private static AuthorizationException authorizationCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthorizationException denied) {
                return denied;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
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
            checkTimeoutAgainstCheckpoints(config, flink, interval);
        }
    }

    /**
     * A transaction stays open from one checkpoint to the completion of the next: about the
     * interval plus the time the checkpoint takes (at most its timeout). A transaction timeout not
     * longer than the interval aborts every transaction before it commits.
     */
    private static void checkTimeoutAgainstCheckpoints(
            TidemarkConfig config, Configuration flink, Duration interval) {
        Duration timeout = config.transactionTimeout();
        if (timeout.compareTo(interval) <= 0) {
            throw new PreflightException(
                    "Invalid value '"
                            + TimeUtils.formatWithHighestUnit(timeout)
                            + "' for configuration key 'sink.transaction-timeout': not longer than"
                            + " checkpoint.interval="
                            + TimeUtils.formatWithHighestUnit(interval)
                            + ". A transaction stays open for at least one checkpoint interval, so"
                            + " the broker would abort every one before it commits. Expected a"
                            + " duration above "
                            + TimeUtils.formatWithHighestUnit(interval)
                            + " and at most the brokers' "
                            + BROKER_MAX_TIMEOUT_KEY
                            + " (15 min by default).");
        }
        Duration checkpointTimeout = flink.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT);
        if (timeout.compareTo(interval.plus(checkpointTimeout)) < 0) {
            LOG.warn(
                    "sink.transaction-timeout={} is shorter than checkpoint.interval + the"
                            + " checkpoint timeout ({} + {}): a slow checkpoint that still"
                            + " succeeds can commit a transaction the broker has already aborted"
                            + " (lost output).",
                    TimeUtils.formatWithHighestUnit(timeout),
                    TimeUtils.formatWithHighestUnit(interval),
                    TimeUtils.formatWithHighestUnit(checkpointTimeout));
        }
    }

    /** Fails when a sink's transaction timeout exceeds the broker's maximum. */
    public static void checkTimeouts(Collection<? extends OutputSink<?>> sinks, long brokerMaxMs) {
        for (OutputSink<?> sink : sinks) {
            if (sink.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE
                    && sink.transactionTimeoutMs() > brokerMaxMs) {
                throw new PreflightException(
                        "Invalid value for configuration key 'sink.transaction-timeout': sink '"
                                + sink.name()
                                + "' would use transaction.timeout.ms="
                                + sink.transactionTimeoutMs()
                                + ", above the brokers' "
                                + BROKER_MAX_TIMEOUT_KEY
                                + "="
                                + brokerMaxMs
                                + ", so the broker would reject its producer. Expected a"
                                + " duration between 1 ms and "
                                + TimeUtils.formatWithHighestUnit(Duration.ofMillis(brokerMaxMs))
                                + " (the brokers' maximum); lower sink.transaction-timeout, or"
                                + " raise "
                                + BROKER_MAX_TIMEOUT_KEY
                                + " on every broker.");
            }
        }
    }

    /**
     * Reads {@code transaction.max.timeout.ms} from the brokers (the smallest one wins); the
     * default of a broker that does not report it. Throws what the admin client threw.
     */
    static long askBrokers(Properties kafkaProperties) throws Exception {
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
        }
    }
}
