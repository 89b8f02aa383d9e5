package io.tidemark.bench.sql;

import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.schemas.ChangeOp;
import io.tidemark.common.schemas.Customer;
import io.tidemark.common.schemas.CustomerChange;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;
import io.tidemark.common.schemas.Product;
import io.tidemark.common.schemas.ProductChange;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A tiny fixed shop whose revenue is worked out by hand ({@link #EXPECTED_1M}): a product changes
 * category and a customer region between orders, an order has two lines in one group, one order
 * comes twice, one line names an unknown product and one order an unknown customer. Five orders
 * hours later only move event time on. One partition per topic, so every variant's event time is
 * the same one stream.
 */
final class RevenueFixture {

    static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    /** {@code category|region|currency|windowStart orders units revenueMinor}, window [1 min). */
    static final List<String> EXPECTED_1M =
            List.of(
                    "books|EU|EUR|2026-11-01T00:01:00.000Z 1 3 2300",
                    "books|NA|EUR|2026-11-01T00:01:00.000Z 1 1 1000",
                    "garden|EU|USD|2026-11-01T00:01:00.000Z 1 1 1100",
                    "toys|EU|EUR|2026-11-01T00:01:00.000Z 1 1 500",
                    "toys|UK|EUR|2026-11-01T00:02:00.000Z 1 3 1500",
                    "toys|unknown|GBP|2026-11-01T00:02:00.000Z 1 1 500",
                    "unknown|UK|EUR|2026-11-01T00:02:00.000Z 1 1 100");

    /** The same groups in the first hour's rollup: each group falls into one minute only. */
    static final List<String> EXPECTED_1H =
            List.of(
                    "books|EU|EUR|2026-11-01T00:00:00.000Z 1 3 2300",
                    "books|NA|EUR|2026-11-01T00:00:00.000Z 1 1 1000",
                    "garden|EU|USD|2026-11-01T00:00:00.000Z 1 1 1100",
                    "toys|EU|EUR|2026-11-01T00:00:00.000Z 1 1 500",
                    "toys|UK|EUR|2026-11-01T00:00:00.000Z 1 3 1500",
                    "toys|unknown|GBP|2026-11-01T00:00:00.000Z 1 1 500",
                    "unknown|UK|EUR|2026-11-01T00:00:00.000Z 1 1 100");

    private RevenueFixture() {}

    /** Writes the shop into topics orders, products, customers (created with one partition). */
    static void write(EmbeddedKafka kafka) {
        for (String topic : List.of("orders", "products", "customers")) {
            kafka.createTopic(topic, 1);
        }
        Properties props = kafka.clientProperties();
        try (var producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            Product p1 = product("p-1", "books", 1000);
            Product p2 = product("p-2", "toys", 500);
            Product p3 = product("p-3", "books", 300);
            for (Product p : List.of(p1, p2, p3)) {
                send(producer, "products", p.getProductId(), change(null, p, T0), T0);
            }
            Customer c1 = customer("c-1", "EU");
            Customer c2 = customer("c-2", "NA");
            for (Customer c : List.of(c1, c2)) {
                send(producer, "customers", c.getCustomerId(), change(null, c, T0), T0);
            }
            Product p1Garden = Product.newBuilder(p1).setCategory("garden").build();
            send(producer, "products", "p-1", change(p1, p1Garden, T0 + 90_000), T0 + 90_000);
            Customer c2Uk = Customer.newBuilder(c2).setRegion("UK").build();
            send(producer, "customers", "c-2", change(c2, c2Uk, T0 + 100_000), T0 + 100_000);

            order(
                    producer,
                    "o-1",
                    "c-1",
                    "EUR",
                    61_000,
                    line("p-1", 2, 1000),
                    line("p-3", 1, 300),
                    line("p-2", 1, 500));
            order(producer, "o-2", "c-2", "EUR", 70_000, line("p-1", 1, 1000));
            order(producer, "o-2", "c-2", "EUR", 70_000, line("p-1", 1, 1000)); // a retry
            order(producer, "o-3", "c-1", "USD", 95_000, line("p-1", 1, 1100));
            order(producer, "o-4", "c-2", "EUR", 125_000, line("p-2", 3, 500), line("p-9", 1, 100));
            order(producer, "o-5", "c-9", "GBP", 130_000, line("p-2", 1, 500));
            // Event time moves on, an hour at a time, until every window above has closed in
            // every engine (Kafka Streams' join grace and suppression each hold the latest back).
            for (int hour = 2; hour <= 6; hour++) {
                order(
                        producer,
                        "o-" + (4 + hour),
                        "c-1",
                        "EUR",
                        hour * 3_600_000L,
                        line("p-2", 1, 500));
            }
        }
    }

    private static Product product(String id, String category, long price) {
        return Product.newBuilder()
                .setProductId(id)
                .setName(category + " " + id)
                .setCategory(category)
                .setListPriceMinor(price)
                .build();
    }

    private static Customer customer(String id, String region) {
        return Customer.newBuilder()
                .setCustomerId(id)
                .setSegment("regular")
                .setRegion(region)
                .build();
    }

    private static ProductChange change(Product before, Product after, long ts) {
        return ProductChange.newBuilder()
                .setOp(before == null ? ChangeOp.r : ChangeOp.u)
                .setBefore(before)
                .setAfter(after)
                .setTsMs(ts)
                .build();
    }

    private static CustomerChange change(Customer before, Customer after, long ts) {
        return CustomerChange.newBuilder()
                .setOp(before == null ? ChangeOp.r : ChangeOp.u)
                .setBefore(before)
                .setAfter(after)
                .setTsMs(ts)
                .build();
    }

    private static OrderLine line(String product, int quantity, long price) {
        return OrderLine.newBuilder()
                .setProductId(product)
                .setQuantity(quantity)
                .setUnitPriceMinor(price)
                .build();
    }

    private static void order(
            KafkaProducer<byte[], byte[]> producer,
            String id,
            String customer,
            String currency,
            long offsetMs,
            OrderLine... lines) {
        Order order =
                Order.newBuilder()
                        .setOrderId(id)
                        .setCustomerId(customer)
                        .setEventTime(Instant.ofEpochMilli(T0 + offsetMs))
                        .setCurrency(currency)
                        .setLines(Arrays.asList(lines))
                        .build();
        send(producer, "orders", id, order, T0 + offsetMs);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            String key,
            SpecificRecord value,
            long timestamp) {
        SingleObjectCodec codec = SingleObjectCodec.of(value.getClass());
        producer.send(
                new ProducerRecord<>(
                        topic,
                        null,
                        timestamp,
                        key.getBytes(StandardCharsets.UTF_8),
                        codec.encode(value)));
    }
}
