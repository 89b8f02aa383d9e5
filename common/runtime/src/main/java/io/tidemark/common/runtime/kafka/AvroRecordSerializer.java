package io.tidemark.common.runtime.kafka;

import io.tidemark.common.schemas.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a record as Avro single-object bytes with a key and a Kafka timestamp derived from the
 * record itself, so the same result always lands on the same partition with the same timestamp.
 */
final class AvroRecordSerializer<T extends SpecificRecordBase>
        implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Class<T> type;
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, Long> timestamp;
    private transient SingleObjectCodec<T> codec;

    AvroRecordSerializer(
            String topic,
            Class<T> type,
            SerializableFunction<T, String> key,
            SerializableFunction<T, Long> timestamp) {
        this.topic = topic;
        this.type = type;
        this.key = key;
        this.timestamp = timestamp;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        codec = SingleObjectCodec.of(type);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long flinkTimestamp) {
        if (codec == null) {
            codec = SingleObjectCodec.of(type);
        }
        return new ProducerRecord<>(
                topic,
                null,
                timestamp.apply(element),
                key.apply(element).getBytes(StandardCharsets.UTF_8),
                codec.encode(element));
    }
}
