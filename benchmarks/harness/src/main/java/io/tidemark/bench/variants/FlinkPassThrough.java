package io.tidemark.bench.variants;

import io.tidemark.bench.probe.ProcessProbe;
import io.tidemark.bench.probe.ResultLine;
import io.tidemark.bench.probe.SubtaskRecords;
import io.tidemark.bench.probe.VariantArgs;
import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Flink limit: source → Avro decode → re-encode → exactly-once Kafka sink, with the same
 * parallelism, state backend and checkpointing as the Tidemark job but no windows, no state and no
 * shuffle. What Flink itself costs per record on this input.
 */
public final class FlinkPassThrough {

    public static void main(String[] args) {
        VariantMain.run(() -> measure(args));
    }

    private static void measure(String[] args) throws Exception {
        VariantArgs a =
                VariantArgs.parse(
                        args,
                        Map.of(
                                "bootstrap", "",
                                "input", "clicks",
                                "output", "bench-passthrough",
                                "parallelism", "2",
                                "work-dir", "",
                                "run-id", "run"));
        String bootstrap = a.get("bootstrap");
        long records = InputTopic.records(bootstrap, a.get("input"));

        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(10));
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                Path.of(a.get("work-dir"), "checkpoints").toUri().toString());
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.MAX_PARALLELISM, 128);
        conf.setString(
                "metrics.reporter.bench.factory.class", SubtaskRecords.Factory.class.getName());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(a.integer("parallelism"));

        KafkaSource<byte[]> source =
                KafkaSource.<byte[]>builder()
                        .setBootstrapServers(bootstrap)
                        .setTopics(a.get("input"))
                        .setGroupId("bench-passthrough-" + a.get("run-id"))
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .setDeserializer(
                                KafkaRecordDeserializationSchema.valueOnly(
                                        ByteArrayDeserializer.class))
                        .build();
        Properties producer = new Properties();
        producer.put("transaction.timeout.ms", "900000");
        KafkaSink<byte[]> sink =
                KafkaSink.<byte[]>builder()
                        .setBootstrapServers(bootstrap)
                        .setKafkaProducerConfig(producer)
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix("bench-passthrough-" + a.get("run-id"))
                        .setRecordSerializer(
                                KafkaRecordSerializationSchema.builder()
                                        .setTopic(a.get("output"))
                                        .setValueSerializationSchema(new RawBytes())
                                        .build())
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "source")
                .uid("bench.source")
                .map(new Decode())
                .returns(new AvroTypeInfo<>(Click.class))
                .uid("bench.decode")
                .name("decode")
                .map(new Encode())
                .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .uid("bench.encode")
                .name("encode")
                .sinkTo(sink)
                .uid("bench.sink")
                .name("sink");

        ProcessProbe probe = ProcessProbe.start();
        env.execute("bench-passthrough");
        ProcessProbe.Measurement measured = probe.stop();
        ResultLine.of("flink-passthrough", records, measured)
                .with("subtasks", SubtaskRecords.snapshot())
                .with("checkpoints", SubtaskRecords.checkpoints())
                .print();
    }

    /** Writes the encoded bytes as they are. */
    private static final class RawBytes implements SerializationSchema<byte[]> {
        @Override
        public byte[] serialize(byte[] value) {
            return value;
        }
    }

    /** Decodes a value; the benchmark input has only valid clicks. */
    private static final class Decode extends RichMapFunction<byte[], Click> {
        private transient SingleObjectCodec<Click> codec;

        @Override
        public void open(OpenContext context) {
            codec = SingleObjectCodec.of(Click.class);
        }

        @Override
        public Click map(byte[] value) {
            return codec.decode(value).record();
        }
    }

    private static final class Encode extends RichMapFunction<Click, byte[]> {
        private transient SingleObjectCodec<Click> codec;

        @Override
        public void open(OpenContext context) {
            codec = SingleObjectCodec.of(Click.class);
        }

        @Override
        public byte[] map(Click click) {
            return codec.encode(click);
        }
    }
}
