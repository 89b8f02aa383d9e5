package io.tidemark.common.runtime.kafka;

import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.eventtime.TimestampOverride;
import io.tidemark.common.runtime.ingest.IngestStage;
import io.tidemark.common.runtime.metrics.TidemarkMetrics;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.runtime.record.RecordKind;
import io.tidemark.common.runtime.record.RecordSpec;
import io.tidemark.common.schemas.Decoded;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * {@code --include-late}: feeds the LATE records of a late topic (the live job's) back into a BATCH
 * backfill as if they had been on time. The output then no longer equals the live run — that is the
 * point, and why it is a separate, explicit option. Only BATCH can do it: in STREAMING these
 * records are behind the watermark and windows would drop them.
 *
 * <p>Nothing is skipped silently: a late-topic record that is not an {@code ErrorEnvelope}, and a
 * {@code LATE} envelope of the input whose value is missing, does not decode or has no event time,
 * goes to the job's DLQ ({@code DESERIALIZATION_FAILED}, {@code SCHEMA_MISMATCH} or {@code
 * MISSING_EVENT_TIME}, message starting with {@value #MESSAGE_PREFIX}), counted per reason as
 * {@code tidemark.reason.<REASON>.dlq} of the {@code late-decode} operator. A late-topic record
 * that is not an envelope names the late topic, partition and offset; the others name the original
 * record. Envelopes of other inputs or with other reasons ({@code LATE_AFTER_IDLE}) are not this
 * input's to replay and are passed over. A job with several inputs reads the late topic once per
 * input, so a record that is not an envelope reaches the DLQ once per input, as the same envelope
 * under the same key.
 */
public final class LateReplay {

    /** How the DLQ messages of the late replay begin. */
    public static final String MESSAGE_PREFIX = "late replay: ";

    /** The DLQ side output of the {@code late-decode} operator. */
    public static final OutputTag<ErrorEnvelope> DLQ =
            new OutputTag<>("late-replay-dlq", new AvroTypeInfo<>(ErrorEnvelope.class));

    private LateReplay() {}

    /**
     * The replayed late records of one input and what could not be replayed.
     *
     * @param records LATE records of the input, decoded, stamped with their event time
     * @param dlq envelopes for the job's DLQ
     */
    public record Replayed<T>(DataStream<InputRecord<T>> records, DataStream<ErrorEnvelope> dlq) {}

    /** The late records of {@code inputTopic}, decoded, stamped with their event time. */
    public static <T extends SpecificRecordBase> Replayed<T> read(
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
                        .setDeserializer(new EnvelopeDeserializer(config.jobName()))
                        .build();
        String prefix = config.uidPrefix();
        SingleOutputStreamOperator<InputRecord<T>> decoded =
                env.fromSource(
                                source,
                                WatermarkStrategy.noWatermarks(),
                                "read late records of " + inputTopic)
                        .uid(IngestStage.uid(prefix, "late-source", inputName))
                        .process(
                                new ToInputRecord<>(
                                        spec,
                                        inputTopic,
                                        config.includeLateTopic(),
                                        config.jobName()),
                                type)
                        .uid(IngestStage.uid(prefix, "late-decode", inputName))
                        .name("late records of " + inputTopic + " as on time");
        DataStream<InputRecord<T>> records =
                decoded.transform(
                                "stamp event time of late " + inputName,
                                type,
                                new TimestampOverride<T>())
                        .uid(IngestStage.uid(prefix, "late-stamp", inputName));
        return new Replayed<>(records, decoded.getSideOutput(DLQ));
    }

    private static java.util.Properties withoutBootstrap(TidemarkConfig config) {
        java.util.Properties props = config.kafkaProperties();
        props.remove("bootstrap.servers");
        props.putIfAbsent("isolation.level", "read_committed");
        return props;
    }

    /**
     * Reads envelopes. A record that is not one becomes the DLQ envelope of itself ({@code
     * DESERIALIZATION_FAILED} or {@code SCHEMA_MISMATCH}, naming the late topic), which {@link
     * ToInputRecord} sends to the DLQ; a heartbeat carries no record and is passed over.
     */
    static final class EnvelopeDeserializer
            implements KafkaRecordDeserializationSchema<ErrorEnvelope> {
        private static final long serialVersionUID = 1L;
        private final String job;
        private transient SingleObjectCodec<ErrorEnvelope> codec;

        EnvelopeDeserializer(String job) {
            this.job = job;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) {
            codec = SingleObjectCodec.of(ErrorEnvelope.class);
        }

        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<ErrorEnvelope> out) {
            if (record.value() == null) {
                out.collect(notAnEnvelope(record, ReasonCode.DESERIALIZATION_FAILED, "no value"));
                return;
            }
            Decoded<ErrorEnvelope> decoded = codec.decode(record.value());
            if (decoded.kind() == Decoded.Kind.RECORD) {
                out.collect(decoded.record());
            } else if (decoded.isFailure()) {
                out.collect(notAnEnvelope(record, decoded.reason(), decoded.message()));
            }
        }

        private ErrorEnvelope notAnEnvelope(
                ConsumerRecord<byte[], byte[]> record, ReasonCode reason, String why) {
            return ErrorEnvelope.newBuilder()
                    .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                    .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                    .setTopic(record.topic())
                    .setPartition(record.partition())
                    .setOffset(record.offset())
                    .setReasonCode(reason)
                    .setMessage(MESSAGE_PREFIX + "not an ErrorEnvelope: " + why)
                    .setJob(job)
                    .setRecordTimestamp(Instant.ofEpochMilli(Math.max(0, record.timestamp())))
                    .setEventTime(null)
                    .build();
        }

        @Override
        public TypeInformation<ErrorEnvelope> getProducedType() {
            return new AvroTypeInfo<>(ErrorEnvelope.class);
        }
    }

    /**
     * A LATE envelope of the input topic back into the record it carried, at its original
     * partition, offset and record timestamp. A late-topic record that is not an envelope, and a
     * LATE envelope of the input whose value is missing, does not decode or has no event time, goes
     * to {@link #DLQ}, counted per reason; envelopes of other topics or with other reasons are
     * passed over.
     */
    static final class ToInputRecord<T extends SpecificRecordBase>
            extends ProcessFunction<ErrorEnvelope, InputRecord<T>> {
        private static final long serialVersionUID = 1L;
        private final RecordSpec<T> spec;
        private final String inputTopic;
        private final String lateTopic;
        private final String job;
        private transient SingleObjectCodec<T> codec;
        private transient Map<ReasonCode, Counter> counters;

        ToInputRecord(RecordSpec<T> spec, String inputTopic, String lateTopic, String job) {
            this.spec = spec;
            this.inputTopic = inputTopic;
            this.lateTopic = lateTopic;
            this.job = job;
        }

        @Override
        public void open(OpenContext openContext) {
            codec = SingleObjectCodec.of(spec.type());
            MetricGroup tidemark = TidemarkMetrics.of(getRuntimeContext().getMetricGroup());
            counters = new EnumMap<>(ReasonCode.class);
            for (ReasonCode reason : ReasonCode.values()) {
                counters.put(
                        reason,
                        tidemark.addGroup(TidemarkMetrics.REASON, reason.name())
                                .counter(TidemarkMetrics.DLQ));
            }
        }

        @Override
        public void processElement(
                ErrorEnvelope envelope, Context ctx, Collector<InputRecord<T>> out) {
            if (lateTopic != null
                    && lateTopic.equals(envelope.getTopic())
                    && envelope.getReasonCode() != ReasonCode.LATE) {
                // The deserializer's envelope of a late-topic record that is not an envelope.
                dlq(ctx, envelope);
                return;
            }
            if (envelope.getReasonCode() != ReasonCode.LATE
                    || !inputTopic.equals(envelope.getTopic())) {
                return; // another input's, or LATE_AFTER_IDLE: not this input's to replay
            }
            if (envelope.getValue() == null) {
                dlq(ctx, envelope, ReasonCode.DESERIALIZATION_FAILED, "LATE envelope has no value");
                return;
            }
            Decoded<T> decoded = codec.decode(bytes(envelope.getValue()));
            if (decoded.kind() != Decoded.Kind.RECORD) {
                dlq(
                        ctx,
                        envelope,
                        decoded.isFailure() ? decoded.reason() : ReasonCode.SCHEMA_MISMATCH,
                        "the value of a LATE envelope does not decode as "
                                + spec.type().getSimpleName()
                                + ": "
                                + (decoded.isFailure() ? decoded.message() : decoded.kind()));
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
            if (in.eventTime == null) {
                dlq(ctx, envelope, ReasonCode.MISSING_EVENT_TIME, "LATE record has no event time");
                return;
            }
            out.collect(in);
        }

        /** The original record of {@code late} to the DLQ, with a new reason and message. */
        private void dlq(Context ctx, ErrorEnvelope late, ReasonCode reason, String message) {
            dlq(
                    ctx,
                    ErrorEnvelope.newBuilder(late)
                            .setReasonCode(reason)
                            .setMessage(MESSAGE_PREFIX + message)
                            .setJob(job)
                            .build());
        }

        private void dlq(Context ctx, ErrorEnvelope envelope) {
            counters.get(envelope.getReasonCode()).inc();
            ctx.output(DLQ, envelope);
        }

        private static byte[] bytes(ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] out = new byte[copy.remaining()];
            copy.get(out);
            return out;
        }
    }
}
