package io.tidemark.common.runtime.kafka;

import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.eventtime.TimestampOverride;
import io.tidemark.common.runtime.ingest.IngestStage;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.runtime.record.RecordKind;
import io.tidemark.common.runtime.record.RecordSpec;
import io.tidemark.common.schemas.Decoded;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.nio.ByteBuffer;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * {@code --include-late}: feeds the LATE records of a late topic (the live job's) back into a BATCH
 * backfill as if they had been on time. The output then no longer equals the live run — that is the
 * point, and why it is a separate, explicit option. Only BATCH can do it: in STREAMING these
 * records are behind the watermark and windows would drop them.
 */
public final class LateReplay {

    private LateReplay() {}

    /** The late records of {@code inputTopic}, decoded, stamped with their event time. */
    public static <T extends SpecificRecordBase> DataStream<InputRecord<T>> read(
            StreamExecutionEnvironment env,
            TidemarkConfig config,
            String inputTopic,
            String inputName,
            RecordSpec<T> spec,
            TypeInformation<InputRecord<T>> type) {
        KafkaSource<ErrorEnvelope> source =
                KafkaSource.<ErrorEnvelope>builder()
                        .setBootstrapServers(config.bootstrapServers())
                        .setProperties(withoutBootstrap(config))
                        .setTopics(config.includeLateTopic())
                        .setGroupId(config.groupId() + "-late")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .setDeserializer(new EnvelopeDeserializer())
                        .build();
        String prefix = config.uidPrefix();
        return env.fromSource(
                        source,
                        WatermarkStrategy.noWatermarks(),
                        "read late records of " + inputTopic)
                .uid(IngestStage.uid(prefix, "late-source", inputName))
                .flatMap(new ToInputRecord<>(spec, inputTopic), type)
                .uid(IngestStage.uid(prefix, "late-decode", inputName))
                .name("late records of " + inputTopic + " as on time")
                .transform(
                        "stamp event time of late " + inputName,
                        type,
                        new TimestampOverride<T>(TimestampOverride.Source.EVENT_TIME))
                .uid(IngestStage.uid(prefix, "late-stamp", inputName));
    }

    private static java.util.Properties withoutBootstrap(TidemarkConfig config) {
        java.util.Properties props = config.kafkaProperties();
        props.remove("bootstrap.servers");
        props.putIfAbsent("isolation.level", "read_committed");
        return props;
    }

    /** Reads envelopes; one that does not decode is skipped (it was written by Tidemark). */
    private static final class EnvelopeDeserializer
            implements KafkaRecordDeserializationSchema<ErrorEnvelope> {
        private static final long serialVersionUID = 1L;
        private transient SingleObjectCodec<ErrorEnvelope> codec;

        @Override
        public void open(DeserializationSchema.InitializationContext context) {
            codec = SingleObjectCodec.of(ErrorEnvelope.class);
        }

        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<ErrorEnvelope> out) {
            Decoded<ErrorEnvelope> decoded = codec.decode(record.value());
            if (decoded.kind() == Decoded.Kind.RECORD) {
                out.collect(decoded.record());
            }
        }

        @Override
        public TypeInformation<ErrorEnvelope> getProducedType() {
            return new AvroTypeInfo<>(ErrorEnvelope.class);
        }
    }

    /**
     * A LATE envelope of the input topic back into the record it carried, at its original
     * partition, offset and record timestamp; anything else (another topic, another reason, a value
     * that does not decode or has no event time) is skipped.
     */
    static final class ToInputRecord<T extends SpecificRecordBase>
            extends RichFlatMapFunction<ErrorEnvelope, InputRecord<T>> {
        private static final long serialVersionUID = 1L;
        private final RecordSpec<T> spec;
        private final String inputTopic;
        private transient SingleObjectCodec<T> codec;

        ToInputRecord(RecordSpec<T> spec, String inputTopic) {
            this.spec = spec;
            this.inputTopic = inputTopic;
        }

        @Override
        public void open(OpenContext openContext) {
            codec = SingleObjectCodec.of(spec.type());
        }

        @Override
        public void flatMap(ErrorEnvelope envelope, Collector<InputRecord<T>> out) {
            if (envelope.getReasonCode() != ReasonCode.LATE
                    || !inputTopic.equals(envelope.getTopic())
                    || envelope.getValue() == null) {
                return;
            }
            Decoded<T> decoded = codec.decode(bytes(envelope.getValue()));
            if (decoded.kind() != Decoded.Kind.RECORD) {
                return;
            }
            InputRecord<T> in = new InputRecord<>();
            in.topic = envelope.getTopic();
            in.partition = envelope.getPartition();
            in.offset = envelope.getOffset();
            in.recordTimestamp = envelope.getRecordTimestamp().toEpochMilli();
            in.key = envelope.getKey() == null ? null : bytes(envelope.getKey());
            in.kind = RecordKind.DATA;
            in.payload = decoded.record();
            in.eventTime = spec.eventTime(decoded.record());
            if (in.eventTime != null) {
                out.collect(in);
            }
        }

        private static byte[] bytes(ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] out = new byte[copy.remaining()];
            copy.get(out);
            return out;
        }
    }
}
