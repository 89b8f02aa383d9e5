package io.tidemark.common.runtime.kafka;

import io.tidemark.common.runtime.config.DeliveryGuarantee;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.record.ErrorEnvelopes;
import io.tidemark.common.schemas.ErrorEnvelope;
import java.util.Objects;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Kafka outputs of Tidemark jobs: Avro single-object values, keys and timestamps derived from the
 * result, exactly-once by default with one transactional-id prefix per sink ({@code <prefix>-<sink
 * name>}) and a transaction timeout within the broker's limit.
 */
public final class KafkaOutputs {

    /** The most a default broker allows ({@code transaction.max.timeout.ms}). */
    public static final long DEFAULT_BROKER_MAX_TRANSACTION_TIMEOUT_MS = 900_000L;

    private KafkaOutputs() {}

    public static <T extends SpecificRecordBase> Builder<T> sink(String name, Class<T> type) {
        return new Builder<>(name, type);
    }

    /** The sink of a DLQ or late topic: envelopes keyed by source topic/partition/offset. */
    public static OutputSink<ErrorEnvelope> envelopes(
            String name, String topic, TidemarkConfig config) {
        // The late and DLQ topic names from the config already carry the output suffix.
        return sink(name, ErrorEnvelope.class)
                .config(config)
                .exactTopic(topic)
                .key(ErrorEnvelopes::key)
                .timestamp(envelope -> envelope.getRecordTimestamp().toEpochMilli())
                .build();
    }

    /** A validating builder of one Kafka sink. */
    public static final class Builder<T extends SpecificRecordBase> {
        private final String name;
        private final Class<T> type;
        private String topic;
        private String suffix = "";
        private boolean exactTopic;
        private SerializableFunction<T, String> key;
        private SerializableFunction<T, Long> timestamp;
        private String bootstrapServers;
        private Properties properties = new Properties();
        private DeliveryGuarantee guarantee = DeliveryGuarantee.EXACTLY_ONCE;
        private String transactionalIdPrefix;
        private long transactionTimeoutMs = DEFAULT_BROKER_MAX_TRANSACTION_TIMEOUT_MS;
        private Long emitFrom;

        private Builder(String name, Class<T> type) {
            if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
                throw new IllegalArgumentException(
                        "sink name must be lower-case letters, digits and dashes: " + name);
            }
            this.name = name;
            this.type = Objects.requireNonNull(type, "type");
        }

        /** The configured topic; the run's output suffix (see {@link #config}) is appended. */
        public Builder<T> topic(String topic) {
            this.topic = topic;
            this.exactTopic = false;
            return this;
        }

        /** A topic name used as given, without the output suffix. */
        Builder<T> exactTopic(String topic) {
            this.topic = topic;
            this.exactTopic = true;
            return this;
        }

        /** The Kafka key of a result; must be derived from the data (deterministic). */
        public Builder<T> key(SerializableFunction<T, String> key) {
            this.key = key;
            return this;
        }

        /** The Kafka record timestamp of a result (its event time). */
        public Builder<T> timestamp(SerializableFunction<T, Long> timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        /**
         * Bootstrap servers, kafka.* properties, guarantee, prefix and timeout from config; the
         * topic gets the configured output suffix (call after {@link #topic}).
         */
        public Builder<T> config(TidemarkConfig config) {
            this.suffix = config.outputSuffix();
            this.emitFrom = config.emitFrom();
            this.bootstrapServers = config.bootstrapServers();
            this.properties = config.kafkaProperties();
            this.guarantee = config.deliveryGuarantee();
            this.transactionalIdPrefix = config.transactionalIdPrefix() + "-" + name;
            this.transactionTimeoutMs = config.transactionTimeout().toMillis();
            return this;
        }

        public Builder<T> bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder<T> deliveryGuarantee(DeliveryGuarantee guarantee) {
            this.guarantee = Objects.requireNonNull(guarantee);
            return this;
        }

        public Builder<T> transactionalIdPrefix(String prefix) {
            this.transactionalIdPrefix = prefix;
            return this;
        }

        public Builder<T> transactionTimeoutMs(long timeoutMs) {
            this.transactionTimeoutMs = timeoutMs;
            return this;
        }

        public OutputSink<T> build() {
            require(topic != null && !topic.isBlank(), "topic is required");
            require(key != null, "key function is required (deterministic result key)");
            require(timestamp != null, "timestamp function is required (event time)");
            require(
                    bootstrapServers != null && !bootstrapServers.isBlank(),
                    "bootstrap servers are required (kafka.bootstrap.servers)");
            if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
                require(
                        transactionalIdPrefix != null && !transactionalIdPrefix.isBlank(),
                        "exactly-once needs a transactional id prefix");
                require(
                        transactionTimeoutMs > 0,
                        "sink.transaction-timeout must be > 0, was "
                                + transactionTimeoutMs
                                + " ms");
            }
            String target = exactTopic ? topic : topic + suffix;
            Properties props = (Properties) properties.clone();
            props.remove("bootstrap.servers");
            props.setProperty("transaction.timeout.ms", Long.toString(transactionTimeoutMs));
            KafkaSinkBuilder<T> builder =
                    KafkaSink.<T>builder()
                            .setBootstrapServers(bootstrapServers)
                            .setKafkaProducerConfig(props)
                            .setRecordSerializer(
                                    new AvroRecordSerializer<>(target, type, key, timestamp))
                            .setDeliveryGuarantee(flinkGuarantee(guarantee));
            if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
                builder.setTransactionalIdPrefix(transactionalIdPrefix);
            }
            return new OutputSink<>(
                    name,
                    target,
                    guarantee == DeliveryGuarantee.EXACTLY_ONCE ? transactionalIdPrefix : null,
                    guarantee,
                    transactionTimeoutMs,
                    builder.build(),
                    timestamp,
                    emitFrom);
        }

        private void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException("Kafka sink '" + name + "': " + message);
            }
        }
    }

    private static org.apache.flink.connector.base.DeliveryGuarantee flinkGuarantee(
            DeliveryGuarantee guarantee) {
        return switch (guarantee) {
            case EXACTLY_ONCE -> org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE;
            case AT_LEAST_ONCE -> org.apache.flink.connector.base.DeliveryGuarantee.AT_LEAST_ONCE;
            case NONE -> org.apache.flink.connector.base.DeliveryGuarantee.NONE;
        };
    }
}
