package io.tidemark.common.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.common.schemas.AvroJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded shop: an orders stream plus the product and customer changelogs (Debezium-style
 * envelopes) that the enrichment and revenue jobs join, as JSON Lines for {@link JsonLinesLoader}.
 * The same {@link Spec} always gives the same lines; nothing reads the wall clock.
 *
 * <p>At {@link Spec#start()} every product and customer is written as a snapshot read ({@code
 * op=r}). Orders follow, 1 to 60 s apart, each with 1–4 lines of distinct snapshot products in EUR,
 * USD or GBP, priced at the product's list price valid at the order's time. Meanwhile products
 * change price or category ({@code u}), new products appear ({@code c}) and some of those are
 * deleted again ({@code d}); customers change segment or region ({@code u}). Orders refer only to
 * snapshot products and customers, so each one has a version valid at its time.
 *
 * <p>Each stream is in event-time order and every line carries {@code _partition} (murmur2 of its
 * key). With {@link Spec#heartbeats()}, each file ends with one Heartbeat per partition at the
 * latest event time of all three streams plus {@link Spec#heartbeatGapMs()}, so that joins and
 * hourly windows can close.
 */
public final class OrderGenerator {

    /** The three streams of one generated shop. */
    public record Output(List<String> orders, List<String> products, List<String> customers) {}

    private final Spec spec;
    private final SplittableRandom random;

    private OrderGenerator(Spec spec) {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed());
    }

    public static Output generate(Spec spec) {
        return new OrderGenerator(spec).run();
    }

    private Output run() {
        long start = spec.start().toEpochMilli();
        List<Change> productChanges = new ArrayList<>();
        List<Change> customerChanges = new ArrayList<>();
        ObjectNode[] products = new ObjectNode[spec.products() + 1];
        for (int i = 1; i <= spec.products(); i++) {
            products[i] = newProduct(Catalog.productId(i));
            productChanges.add(new Change(start, "r", null, products[i].deepCopy()));
        }
        ObjectNode[] customers = new ObjectNode[spec.customers() + 1];
        for (int i = 1; i <= spec.customers(); i++) {
            customers[i] = newCustomer(Catalog.customerId(i));
            customerChanges.add(new Change(start, "r", null, customers[i].deepCopy()));
        }

        long[] orderTimes = new long[spec.orders()];
        long t = start + Duration.ofMinutes(1).toMillis();
        for (int i = 0; i < spec.orders(); i++) {
            t += 1_000 + random.nextLong(59_000);
            orderTimes[i] = t;
        }
        long end = spec.orders() == 0 ? start + Duration.ofMinutes(1).toMillis() : t;

        // Product updates happen during the orders, so prices differ between orders.
        List<Long> updateTimes = sortedTimes(spec.productUpdates(), start + 1, end);
        for (long time : updateTimes) {
            int number = 1 + random.nextInt(spec.products());
            ObjectNode before = products[number].deepCopy();
            if (random.nextDouble() < 0.7) {
                long price = products[number].get("listPriceMinor").longValue();
                long changed = Math.max(99, price + (random.nextLong(41) - 20) * price / 100);
                products[number].put("listPriceMinor", changed);
            } else {
                products[number].put("category", pick(Catalog.CATEGORIES));
            }
            productChanges.add(new Change(time, "u", before, products[number].deepCopy()));
        }
        int created = Math.max(1, spec.products() / 20);
        for (int i = 0; i < created; i++) {
            long createdAt = start + 1 + random.nextLong(Math.max(1, end - start));
            ObjectNode product = newProduct(Catalog.productId(spec.products() + 1 + i));
            productChanges.add(new Change(createdAt, "c", null, product.deepCopy()));
            if (random.nextDouble() < 0.5 && createdAt < end) {
                long deletedAt = createdAt + 1 + random.nextLong(end - createdAt);
                productChanges.add(new Change(deletedAt, "d", product, null));
            }
        }
        for (long time : sortedTimes(spec.customerUpdates(), start + 1, end)) {
            int number = 1 + random.nextInt(spec.customers());
            ObjectNode before = customers[number].deepCopy();
            if (random.nextBoolean()) {
                customers[number].put("segment", pick(Catalog.SEGMENTS));
            } else {
                customers[number].put("region", pick(Catalog.REGIONS));
            }
            customerChanges.add(new Change(time, "u", before, customers[number].deepCopy()));
        }
        // Stable sort: equal times keep their generation order.
        productChanges.sort(Comparator.comparingLong(Change::tsMs));
        customerChanges.sort(Comparator.comparingLong(Change::tsMs));

        List<String> orders = orders(orderTimes, productChanges);
        List<String> productLines = changeLines(productChanges, "productId");
        List<String> customerLines = changeLines(customerChanges, "customerId");
        if (spec.heartbeats()) {
            long latest = Math.max(end, start);
            for (Change c : productChanges) {
                latest = Math.max(latest, c.tsMs);
            }
            for (Change c : customerChanges) {
                latest = Math.max(latest, c.tsMs);
            }
            String eventTime = AvroJson.formatInstant(latest + spec.heartbeatGapMs());
            for (List<String> stream : List.of(orders, productLines, customerLines)) {
                for (int p = 0; p < spec.partitions(); p++) {
                    ObjectNode heartbeat = AvroJson.MAPPER.createObjectNode();
                    heartbeat.put("_type", "Heartbeat");
                    heartbeat.put("_partition", p);
                    heartbeat.put("eventTime", eventTime);
                    stream.add(write(heartbeat));
                }
            }
        }
        return new Output(orders, productLines, customerLines);
    }

    /** Orders priced with the product versions valid at their time (changes replayed in order). */
    private List<String> orders(long[] orderTimes, List<Change> productChanges) {
        long[] price = new long[spec.products() + 1];
        int applied = 0;
        List<String> lines = new ArrayList<>(orderTimes.length);
        for (int i = 0; i < orderTimes.length; i++) {
            long time = orderTimes[i];
            while (applied < productChanges.size() && productChanges.get(applied).tsMs <= time) {
                Change change = productChanges.get(applied++);
                if (change.after != null) {
                    int number = productNumber(change.after.get("productId").textValue());
                    if (number <= spec.products()) {
                        price[number] = change.after.get("listPriceMinor").longValue();
                    }
                }
            }
            String orderId = Catalog.padded("o-", i + 1, 6);
            ObjectNode order = AvroJson.MAPPER.createObjectNode();
            order.put("_partition", KeyPartitioner.partitionFor(orderId, spec.partitions()));
            order.put("orderId", orderId);
            order.put("customerId", Catalog.customerId(1 + random.nextInt(spec.customers())));
            order.put("eventTime", AvroJson.formatInstant(time));
            order.put("currency", pick(Catalog.CURRENCIES));
            ArrayNode orderLines = order.putArray("lines");
            int lineCount = 1 + random.nextInt(Math.min(4, spec.products()));
            Set<Integer> chosen = new HashSet<>();
            while (chosen.size() < lineCount) {
                int number = 1 + random.nextInt(spec.products());
                if (chosen.add(number)) {
                    orderLines
                            .addObject()
                            .put("productId", Catalog.productId(number))
                            .put("quantity", 1 + random.nextInt(5))
                            .put("unitPriceMinor", price[number]);
                }
            }
            lines.add(write(order));
        }
        return lines;
    }

    private List<String> changeLines(List<Change> changes, String idField) {
        List<String> lines = new ArrayList<>(changes.size());
        for (Change change : changes) {
            ObjectNode row = change.after != null ? change.after : change.before;
            String key = row.get(idField).textValue();
            ObjectNode line = AvroJson.MAPPER.createObjectNode();
            line.put("_partition", KeyPartitioner.partitionFor(key, spec.partitions()));
            line.put("op", change.op);
            line.set("before", change.before == null ? line.nullNode() : change.before);
            line.set("after", change.after == null ? line.nullNode() : change.after);
            line.put("ts_ms", change.tsMs);
            lines.add(write(line));
        }
        return lines;
    }

    private ObjectNode newProduct(String productId) {
        String category = pick(Catalog.CATEGORIES);
        ObjectNode product = AvroJson.MAPPER.createObjectNode();
        product.put("productId", productId);
        product.put("name", category + " item " + productId.substring(2));
        product.put("category", category);
        product.put("listPriceMinor", 199 + random.nextLong(19_800));
        return product;
    }

    private ObjectNode newCustomer(String customerId) {
        ObjectNode customer = AvroJson.MAPPER.createObjectNode();
        customer.put("customerId", customerId);
        customer.put("segment", pick(Catalog.SEGMENTS));
        customer.put("region", pick(Catalog.REGIONS));
        return customer;
    }

    private List<Long> sortedTimes(int count, long from, long to) {
        List<Long> times = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            times.add(from + random.nextLong(Math.max(1, to - from)));
        }
        times.sort(null);
        return times;
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static int productNumber(String productId) {
        return Integer.parseInt(productId.substring(2));
    }

    private static String write(ObjectNode node) {
        try {
            return AvroJson.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Change(long tsMs, String op, ObjectNode before, ObjectNode after) {}

    /** What to generate; immutable, built with {@link #builder()}. */
    public static final class Spec extends GeneratorSpec {
        private final int orders;
        private final int customers;
        private final int productUpdates;
        private final int customerUpdates;

        private Spec(Builder b) {
            super(b);
            this.orders = b.orders;
            this.customers = b.customers;
            this.productUpdates = b.productUpdates;
            this.customerUpdates = b.customerUpdates;
        }

        public static Builder builder() {
            return new Builder();
        }

        public Builder toBuilder() {
            return new Builder()
                    .seed(seed())
                    .orders(orders)
                    .customers(customers)
                    .products(products())
                    .partitions(partitions())
                    .start(start())
                    .productUpdates(productUpdates)
                    .customerUpdates(customerUpdates)
                    .heartbeats(heartbeats())
                    .heartbeatGapMs(heartbeatGapMs());
        }

        public int orders() {
            return orders;
        }

        public int customers() {
            return customers;
        }

        public int productUpdates() {
            return productUpdates;
        }

        public int customerUpdates() {
            return customerUpdates;
        }

        /** Defaults: seed 1, 200 orders, 50 customers, 20 products, 2 partitions. */
        public static final class Builder extends GeneratorSpec.Builder<Builder> {
            private int orders = 200;
            private int customers = 50;
            private int productUpdates = 20;
            private int customerUpdates = 10;

            private Builder() {
                super(20, Duration.ofHours(2).toMillis());
            }

            @Override
            protected Builder self() {
                return this;
            }

            public Builder orders(int orders) {
                this.orders = orders;
                return this;
            }

            public Builder customers(int customers) {
                this.customers = customers;
                return this;
            }

            public Builder productUpdates(int count) {
                this.productUpdates = count;
                return this;
            }

            public Builder customerUpdates(int count) {
                this.customerUpdates = count;
                return this;
            }

            /**
             * @throws IllegalArgumentException naming the first invalid setting
             */
            public Spec build() {
                validateCommon();
                Validation.atLeast("orders", orders, 0);
                Validation.atLeast("customers", customers, 1);
                Validation.atLeast("productUpdates", productUpdates, 0);
                Validation.atLeast("customerUpdates", customerUpdates, 0);
                return new Spec(this);
            }
        }
    }
}
