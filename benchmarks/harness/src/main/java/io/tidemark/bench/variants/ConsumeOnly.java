package io.tidemark.bench.variants;

import io.tidemark.bench.probe.ProcessProbe;
import io.tidemark.bench.probe.ResultLine;
import io.tidemark.bench.probe.VariantArgs;
import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.Decoded;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The consume-only limit: one plain {@code KafkaConsumer} on one thread reading every record and
 * Avro-decoding its value, nothing else. No framework can process the input faster per core than
 * this reads it.
 */
public final class ConsumeOnly {

    public static void main(String[] args) {
        VariantMain.run(() -> measure(args));
    }

    private static void measure(String[] args) throws Exception {
        VariantArgs a =
                VariantArgs.parse(
                        args, Map.of("bootstrap", "", "input", "clicks", "run-id", "run"));
        long records = InputTopic.records(a.get("bootstrap"), a.get("input"));
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, a.get("bootstrap"));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-consume-" + a.get("run-id"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 << 20));
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 << 20));
        SingleObjectCodec<Click> codec = SingleObjectCodec.of(Click.class);
        long read = 0;
        long checksum = 0;
        try (var consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(java.util.List.of(a.get("input")));
            ProcessProbe probe = ProcessProbe.start();
            while (read < records) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    Decoded<Click> decoded = codec.decode(record.value());
                    if (!decoded.isFailure() && decoded.kind() == Decoded.Kind.RECORD) {
                        checksum += decoded.record().getEventTime().toEpochMilli();
                    }
                    read++;
                }
            }
            ProcessProbe.Measurement measured = probe.stop();
            ResultLine.of("consume-only", records, measured).with("checksum", checksum).print();
        }
    }
}
