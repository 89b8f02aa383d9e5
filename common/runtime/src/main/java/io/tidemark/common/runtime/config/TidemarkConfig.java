package io.tidemark.common.runtime.config;

import io.tidemark.common.runtime.eventtime.WatermarkAlignment;
import io.tidemark.common.runtime.kafka.StartPosition;
import io.tidemark.common.runtime.kafka.StopPosition;
import io.tidemark.common.runtime.record.ValidationSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * The validated, immutable configuration every job shares. Built once in {@code main} from the
 * Flink {@link Configuration} that {@link ConfigLoader} returns; jobs wrap it in their own config
 * object with their options.
 */
public final class TidemarkConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String jobName;
    private final String uidPrefix;
    private final ExecutionMode executionMode;

    /** Kafka's {@code transaction.timeout.ms} is an int. */
    public static final long MAX_TRANSACTION_TIMEOUT_MS = Integer.MAX_VALUE;

    /** Flink's upper bound on key groups. */
    private static final int MAX_KEY_GROUPS = KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM;

    private final Integer parallelism;
    private final int maxParallelism;
    private final Duration checkpointInterval;
    private final String checkpointDir;
    private final StateBackendKind stateBackend;
    private final Duration outOfOrderness;
    private final Duration idleness;
    private final WatermarkAlignment alignment;
    private final ValidationSettings validation;
    private final StartPosition start;
    private final StopPosition stop;
    private final String groupId;
    private final DeliveryGuarantee deliveryGuarantee;
    private final Duration transactionTimeout;
    private final PreflightMode preflightMode;
    private final String transactionalIdPrefix;
    private final String dlqTopic;
    private final String lateTopic;
    private final String outputSuffix;
    private final Long emitFrom;
    private final String includeLateTopic;
    private final Map<String, String> kafkaProperties;
    private final Map<String, String> flinkProperties;

    private TidemarkConfig(Configuration conf, String defaultJobName) {
        this.jobName = conf.getOptional(TidemarkOptions.JOB_NAME).orElse(defaultJobName);
        this.uidPrefix = defaultJobName;
        if (jobName == null || !jobName.matches("[a-z][a-z0-9-]*")) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + jobName
                            + "' for configuration key 'job.name': expected lower-case letters,"
                            + " digits and dashes, starting with a letter");
        }
        this.executionMode = conf.get(TidemarkOptions.EXECUTION_MODE);
        this.parallelism = conf.getOptional(TidemarkOptions.PARALLELISM).orElse(null);
        if (parallelism != null && parallelism < 1) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + parallelism
                            + "' for configuration key 'parallelism':"
                            + " expected an integer >= 1");
        }
        this.maxParallelism = conf.get(TidemarkOptions.MAX_PARALLELISM);
        if (maxParallelism < 1 || maxParallelism > MAX_KEY_GROUPS) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + maxParallelism
                            + "' for configuration key 'max-parallelism': expected an integer"
                            + " between 1 and "
                            + MAX_KEY_GROUPS);
        }
        if (parallelism != null && parallelism > maxParallelism) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + parallelism
                            + "' for configuration key 'parallelism': expected at most"
                            + " 'max-parallelism' ("
                            + maxParallelism
                            + ")");
        }
        this.checkpointInterval = conf.get(TidemarkOptions.CHECKPOINT_INTERVAL);
        this.checkpointDir = conf.getOptional(TidemarkOptions.CHECKPOINT_DIR).orElse(null);
        this.stateBackend = conf.get(TidemarkOptions.STATE_BACKEND);
        this.outOfOrderness = conf.get(TidemarkOptions.OUT_OF_ORDERNESS);
        if (outOfOrderness.isNegative()) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + outOfOrderness
                            + "' for configuration key "
                            + "'event-time.out-of-orderness': expected a duration >= 0");
        }
        this.idleness = conf.getOptional(TidemarkOptions.IDLENESS).orElse(null);
        this.validation =
                new ValidationSettings(
                        conf.get(TidemarkOptions.MAX_SKEW_AHEAD).toMillis(),
                        conf.getOptional(TidemarkOptions.MAX_SKEW_BEHIND)
                                .map(Duration::toMillis)
                                .orElse(-1L));
        this.start =
                StartPosition.parse(
                        TidemarkOptions.SOURCE_START.key(), conf.get(TidemarkOptions.SOURCE_START));
        this.stop =
                StopPosition.parse(
                        TidemarkOptions.SOURCE_STOP.key(), conf.get(TidemarkOptions.SOURCE_STOP));
        this.alignment = WatermarkAlignment.from(conf, uidPrefix, executionMode, stop);
        this.groupId =
                conf.getOptional(TidemarkOptions.SOURCE_GROUP_ID).orElse("tidemark-" + jobName);
        this.deliveryGuarantee = conf.get(TidemarkOptions.SINK_DELIVERY_GUARANTEE);
        this.transactionTimeout = conf.get(TidemarkOptions.SINK_TRANSACTION_TIMEOUT);
        if (transactionTimeout.toMillis() < 1
                || transactionTimeout.toMillis() > MAX_TRANSACTION_TIMEOUT_MS) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + org.apache.flink.util.TimeUtils.formatWithHighestUnit(
                                    transactionTimeout)
                            + "' for configuration key '"
                            + TidemarkOptions.SINK_TRANSACTION_TIMEOUT.key()
                            + "': expected a duration between 1 ms and the brokers'"
                            + " transaction.max.timeout.ms (15 min unless raised on the brokers;"
                            + " never more than "
                            + MAX_TRANSACTION_TIMEOUT_MS
                            + " ms)");
        }
        this.preflightMode = conf.get(TidemarkOptions.SINK_PREFLIGHT);
        this.outputSuffix = conf.get(TidemarkOptions.OUTPUT_TOPIC_SUFFIX);
        this.includeLateTopic = conf.getOptional(TidemarkOptions.INCLUDE_LATE_TOPIC).orElse(null);
        if (includeLateTopic != null && executionMode != ExecutionMode.BATCH) {
            throw new InvalidConfigException(
                    "Configuration key 'source.include-late-topic' needs execution.mode=BATCH:"
                            + " in STREAMING the late records are behind the watermark and"
                            + " windows would drop them");
        }
        this.emitFrom =
                conf.getOptional(TidemarkOptions.EMIT_FROM)
                        .map(text -> parseInstant(TidemarkOptions.EMIT_FROM.key(), text))
                        .orElse(null);
        if (!outputSuffix.matches("[A-Za-z0-9._-]*")) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + outputSuffix
                            + "' for configuration key"
                            + " 'topics.output-suffix': expected letters, digits, '.', '_' or '-'");
        }
        this.transactionalIdPrefix =
                conf.getOptional(TidemarkOptions.SINK_TRANSACTIONAL_ID_PREFIX).orElse(jobName)
                        + outputSuffix;
        this.dlqTopic =
                conf.getOptional(TidemarkOptions.TOPIC_DLQ).orElse(jobName + "-dlq") + outputSuffix;
        this.lateTopic =
                conf.getOptional(TidemarkOptions.TOPIC_LATE).orElse(jobName + "-late")
                        + outputSuffix;
        this.kafkaProperties = prefixed(conf, TidemarkOptions.KAFKA_PREFIX);
        this.flinkProperties = prefixed(conf, TidemarkOptions.FLINK_PREFIX);
        if (!kafkaProperties.containsKey("bootstrap.servers")) {
            throw new InvalidConfigException(
                    "Missing configuration key 'kafka.bootstrap.servers': expected host:port[,...]"
                            + " of the Kafka cluster");
        }
    }

    /** Builds and validates; {@code defaultJobName} applies when {@code job.name} is unset. */
    public static TidemarkConfig from(Configuration conf, String defaultJobName) {
        return new TidemarkConfig(conf, defaultJobName);
    }

    private static Map<String, String> prefixed(Configuration conf, String prefix) {
        Map<String, String> out = new TreeMap<>();
        for (String key : conf.keySet()) {
            if (key.startsWith(prefix)) {
                out.put(key.substring(prefix.length()), conf.getString(key, ""));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    public String jobName() {
        return jobName;
    }

    /**
     * The prefix of every operator uid: the job's own, fixed name, never the configurable {@code
     * job.name}, so renaming a deployment cannot orphan its state in a savepoint.
     */
    public String uidPrefix() {
        return uidPrefix;
    }

    public ExecutionMode executionMode() {
        return executionMode;
    }

    public Integer parallelism() {
        return parallelism;
    }

    /**
     * The number of key groups: part of the state contract, see {@link
     * TidemarkOptions#MAX_PARALLELISM}.
     */
    public int maxParallelism() {
        return maxParallelism;
    }

    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    public String checkpointDir() {
        return checkpointDir;
    }

    public StateBackendKind stateBackend() {
        return stateBackend;
    }

    public Duration outOfOrderness() {
        return outOfOrderness;
    }

    /** Processing-time idleness, or null when off (the default). */
    public Duration idleness() {
        return idleness;
    }

    /** Watermark alignment of the sources, or null when off (BATCH, bounded runs, switched off). */
    public WatermarkAlignment alignment() {
        return alignment;
    }

    public ValidationSettings validation() {
        return validation;
    }

    public StartPosition start() {
        return start;
    }

    public StopPosition stop() {
        return stop;
    }

    public String groupId() {
        return groupId;
    }

    public DeliveryGuarantee deliveryGuarantee() {
        return deliveryGuarantee;
    }

    public Duration transactionTimeout() {
        return transactionTimeout;
    }

    /** How the sink preflight treats its broker check. */
    public PreflightMode preflightMode() {
        return preflightMode;
    }

    public String transactionalIdPrefix() {
        return transactionalIdPrefix;
    }

    public String dlqTopic() {
        return dlqTopic;
    }

    public String lateTopic() {
        return lateTopic;
    }

    /** The late topic whose records a BATCH backfill treats as on time, or null. */
    public String includeLateTopic() {
        return includeLateTopic;
    }

    /** Epoch millis before which nothing is written (a backfill's warm-up), or null. */
    public Long emitFrom() {
        return emitFrom;
    }

    private static long parseInstant(String key, String text) {
        try {
            return java.time.Instant.parse(text.strip()).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + text
                            + "' for configuration key '"
                            + key
                            + "': expected an ISO-8601 instant such as 2026-11-01T00:00:00Z");
        }
    }

    /** Tests only: failures to inject after checkpoints (0 = none). */
    /** The suffix appended to every topic the job writes (empty for a live run). */
    public String outputSuffix() {
        return outputSuffix;
    }

    /** A result topic as this run writes it: the configured name plus the output suffix. */
    public String outputTopic(String configured) {
        return configured + outputSuffix;
    }

    public String bootstrapServers() {
        return kafkaProperties.get("bootstrap.servers");
    }

    /** The {@code kafka.*} properties without the prefix, for every Kafka client. */
    public Properties kafkaProperties() {
        Properties props = new Properties();
        props.putAll(kafkaProperties);
        return props;
    }

    /** The {@code flink.*} properties without the prefix. */
    public Map<String, String> flinkProperties() {
        return flinkProperties;
    }

    @Override
    public String toString() {
        Map<String, String> kafka = new TreeMap<>();
        kafkaProperties.forEach((k, v) -> kafka.put(k, Redaction.isSecret(k) ? Redaction.MASK : v));
        return "TidemarkConfig{job="
                + jobName
                + ", mode="
                + executionMode
                + ", parallelism="
                + parallelism
                + ", maxParallelism="
                + maxParallelism
                + ", B="
                + outOfOrderness
                + ", idleness="
                + idleness
                + ", start="
                + start
                + ", stop="
                + stop
                + ", delivery="
                + deliveryGuarantee
                + ", kafka="
                + kafka
                + '}';
    }
}
