package io.tidemark.bench;

import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the generated clicks into the input topic the way Tidemark's inputs look: key userId,
 * value the Click in Avro single-object encoding, record timestamp the stream time, partition by
 * the producer's murmur2 of the key. Not measured.
 */
final class InputLoader {

    private InputLoader() {}

    /** What was loaded. */
    record Loaded(long records, long valueBytes, long firstEventTime, long lastStreamTime) {}

    static Loaded load(String bootstrap, String topic, BenchClicks clicks) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L << 20));
        SingleObjectCodec<Click> codec = SingleObjectCodec.of(Click.class);
        long[] totals = new long[4];
        totals[2] = Long.MAX_VALUE;
        try (var producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            clicks.forEach(
                    generated -> {
                        Click click = generated.click();
                        byte[] value = codec.encode(click);
                        producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        null,
                                        generated.timestamp(),
                                        click.getUserId().getBytes(StandardCharsets.UTF_8),
                                        value));
                        totals[0]++;
                        totals[1] += value.length;
                        totals[2] = Math.min(totals[2], generated.timestamp());
                        totals[3] = generated.timestamp();
                    });
            producer.flush();
        }
        return new Loaded(totals[0], totals[1], totals[2], totals[3]);
    }
}
