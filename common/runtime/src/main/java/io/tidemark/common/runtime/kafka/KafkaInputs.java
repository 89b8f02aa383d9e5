package io.tidemark.common.runtime.kafka;

import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.eventtime.InputWatermarks;
import io.tidemark.common.runtime.ingest.IngestStage;
import io.tidemark.common.runtime.ingest.Ingested;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.record.InputDeserializer;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.runtime.record.RecordSpec;
import io.tidemark.common.runtime.record.ValidationSettings;
import java.util.Objects;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Kafka inputs of Tidemark jobs: one topic per source, each record kept with its partition, offset
 * and record timestamp, watermarks generated per partition inside the source.
 */
public final class KafkaInputs {

    private KafkaInputs() {}

    /** A validating builder of the Kafka source for one topic. */
    public static <T extends SpecificRecordBase> Builder<T> source(RecordSpec<T> spec) {
        return new Builder<>(spec);
    }

    /**
     * Reads one topic and runs the ingest stage on it: the usual way a job gets its input.
     *
     * @param inputName short name used in uids and operator names, e.g. {@code clicks}
     * @param tap what a test inserts after the source; {@link InputTap#NONE} in production
     */
    public static <T extends SpecificRecordBase> Ingested<T> ingest(
            StreamExecutionEnvironment env,
            TidemarkConfig config,
            String topic,
            String inputName,
            RecordSpec<T> spec,
            InputTap tap) {
        KafkaSource<InputRecord<T>> source = source(spec).topic(topic).config(config).build();
        DataStream<InputRecord<T>> records =
                env.fromSource(
                                source,
                                InputWatermarks.forBound(
                                        config.outOfOrderness(),
                                        config.idleness(),
                                        config.alignment()),
                                "read " + topic)
                        .uid(IngestStage.uid(config.uidPrefix(), "source", inputName));
        records = tap.apply(records, config.uidPrefix(), inputName);
        Ingested<T> ingested =
                IngestStage.apply(
                        records,
                        config.uidPrefix(),
                        config.jobName(),
                        inputName,
                        config.outOfOrderness(),
                        config.idleness());
        if (config.includeLateTopic() == null) {
            return ingested;
        }
        LateReplay.Replayed<T> late =
                LateReplay.read(env, config, topic, inputName, spec, records.getType());
        return new Ingested<>(
                ingested.onTime().union(late.records()),
                ingested.late(),
                ingested.dlq().union(late.dlq()));
    }

    /** Builds a {@code KafkaSource<InputRecord<T>>}; fails on a missing or contradictory field. */
    public static final class Builder<T extends SpecificRecordBase> {
        private final RecordSpec<T> spec;
        private String topic;
        private String bootstrapServers;
        private String groupId;
        private Properties properties = new Properties();
        private StartPosition start = new StartPosition(StartPosition.Kind.EARLIEST, null);
        private StopPosition stop = new StopPosition(StopPosition.Kind.NONE, null);
        private ValidationSettings validation = ValidationSettings.defaults();

        private Builder(RecordSpec<T> spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
        }

        public Builder<T> topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** Takes bootstrap servers, kafka.* properties, group, start, stop and validation. */
        public Builder<T> config(TidemarkConfig config) {
            this.bootstrapServers = config.bootstrapServers();
            this.properties = config.kafkaProperties();
            this.groupId = config.groupId();
            this.start = config.start();
            this.stop = config.stop();
            this.validation = config.validation();
            return this;
        }

        public Builder<T> bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder<T> groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        public Builder<T> properties(Properties properties) {
            this.properties = (Properties) properties.clone();
            return this;
        }

        public Builder<T> start(StartPosition start) {
            this.start = Objects.requireNonNull(start, "start");
            return this;
        }

        public Builder<T> stop(StopPosition stop) {
            this.stop = Objects.requireNonNull(stop, "stop");
            return this;
        }

        public Builder<T> validation(ValidationSettings validation) {
            this.validation = Objects.requireNonNull(validation, "validation");
            return this;
        }

        public KafkaSource<InputRecord<T>> build() {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("KafkaInputs: topic is required");
            }
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException(
                        "KafkaInputs: bootstrap servers are required (kafka.bootstrap.servers)");
            }
            if (start.kind() == StartPosition.Kind.COMMITTED && groupId == null) {
                throw new IllegalArgumentException(
                        "KafkaInputs: starting from committed offsets needs a group id");
            }
            Properties props = (Properties) properties.clone();
            props.remove("bootstrap.servers");
            // Tidemark commits offsets only for monitoring; positions live in checkpoints.
            props.putIfAbsent("commit.offsets.on.checkpoint", "true");
            props.putIfAbsent("isolation.level", "read_committed");
            KafkaSourceBuilder<InputRecord<T>> builder =
                    KafkaSource.<InputRecord<T>>builder()
                            .setBootstrapServers(bootstrapServers)
                            .setTopics(topic)
                            .setGroupId(groupId == null ? "tidemark" : groupId)
                            .setClientIdPrefix(
                                    (groupId == null ? "tidemark" : groupId) + "-" + topic)
                            .setProperties(props)
                            .setStartingOffsets(start.toOffsetsInitializer())
                            .setDeserializer(new InputDeserializer<>(spec, validation));
            OffsetsInitializer stopping = stop.toOffsetsInitializer();
            if (stopping != null) {
                builder.setBounded(stopping);
            }
            return builder.build();
        }
    }
}
