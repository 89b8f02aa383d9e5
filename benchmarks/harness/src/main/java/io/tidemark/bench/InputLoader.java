package io.tidemark.bench;

import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.CustomerChange;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.ProductChange;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
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

    /** What was loaded of the shop: orders and changelog records, and the orders' span. */
    record LoadedShop(
            long orders, long changes, long valueBytes, long firstOrderTime, long lastOrderTime) {}

    static Loaded load(String bootstrap, String topic, BenchClicks clicks) {
        SingleObjectCodec<Click> codec = SingleObjectCodec.of(Click.class);
        long[] totals = new long[4];
        totals[2] = Long.MAX_VALUE;
        try (var producer = producer(bootstrap)) {
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

    /**
     * Writes the generated shop into its three topics ({@link BenchOrders.Stream#topic}) the way
     * Tidemark's inputs look: key the row id (orderId, productId, customerId), value in Avro
     * single-object encoding, record timestamp the stream time, partition by the producer's murmur2
     * of the key. Not measured.
     */
    static LoadedShop loadOrders(String bootstrap, BenchOrders shop) {
        Map<BenchOrders.Stream, SingleObjectCodec<SpecificRecord>> codecs =
                new EnumMap<>(BenchOrders.Stream.class);
        codecs.put(BenchOrders.Stream.ORDERS, codec(Order.class));
        codecs.put(BenchOrders.Stream.PRODUCTS, codec(ProductChange.class));
        codecs.put(BenchOrders.Stream.CUSTOMERS, codec(CustomerChange.class));
        long[] totals = new long[5];
        totals[3] = Long.MAX_VALUE;
        try (var producer = producer(bootstrap)) {
            shop.forEach(
                    generated -> {
                        byte[] value = codecs.get(generated.stream()).encode(generated.value());
                        producer.send(
                                new ProducerRecord<>(
                                        generated.stream().topic,
                                        null,
                                        generated.timestamp(),
                                        generated.key().getBytes(StandardCharsets.UTF_8),
                                        value));
                        totals[2] += value.length;
                        if (generated.stream() == BenchOrders.Stream.ORDERS) {
                            totals[0]++;
                            totals[3] = Math.min(totals[3], generated.timestamp());
                            totals[4] = generated.timestamp();
                        } else {
                            totals[1]++;
                        }
                    });
            producer.flush();
        }
        return new LoadedShop(totals[0], totals[1], totals[2], totals[3], totals[4]);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static SingleObjectCodec<SpecificRecord> codec(Class<? extends SpecificRecord> type) {
        return (SingleObjectCodec) SingleObjectCodec.of(type);
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L << 20));
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
