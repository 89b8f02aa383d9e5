package io.tidemark.bench;

import io.tidemark.common.local.Catalog;
import io.tidemark.common.schemas.ChangeOp;
import io.tidemark.common.schemas.Customer;
import io.tidemark.common.schemas.CustomerChange;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;
import io.tidemark.common.schemas.Product;
import io.tidemark.common.schemas.ProductChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * The revenue benchmark's seeded shop, in the shape the revenue job reads: orders keyed by orderId,
 * and the product and customer changelogs (Debezium-style envelopes) keyed by their row id.
 *
 * <p>At {@link #START} every product ({@value #PRODUCTS}) and customer is written as a snapshot
 * read ({@code op=r}). Orders follow at {@value #ORDERS_PER_SECOND} per event-time second (common's
 * {@code OrderGenerator} writes one every 1–60 s, far too few for a benchmark), each with 1–4 lines
 * of distinct products in EUR, USD or GBP at the product's list price valid at the order's time.
 * Meanwhile, every {@value #UPDATE_EVERY_MS} ms of stream time, one product changes price or
 * category and one customer segment or region ({@code op=u}), so the temporal joins see versions
 * change and every changelog partition keeps advancing.
 *
 * <p>As in {@link BenchClicks}: {@value #DISORDER_PERCENT}% of orders carry an event time up to
 * {@code B} before the stream time, {@value #LATE_PERCENT}% one 5–60 s before it; changelog records
 * are in order. The record timestamp is the stream time. Nothing reads the clock: the same seed
 * gives the same records, and fewer orders give a prefix of the same stream.
 */
public final class BenchOrders {

    /** The out-of-orderness bound {@code B} every variant uses. */
    public static final long BOUND_MS = BenchClicks.BOUND_MS;

    static final int ORDERS_PER_SECOND = 10_000;
    static final int PRODUCTS = 1_000;
    static final long UPDATE_EVERY_MS = 200;
    static final int DISORDER_PERCENT = BenchClicks.DISORDER_PERCENT;
    static final int LATE_PERCENT = BenchClicks.LATE_PERCENT;
    static final Instant START = BenchClicks.START;

    /**
     * Orders start 61 s after the snapshot, so even a late order's event time is after it and every
     * order has a version to join.
     */
    static final long FIRST_ORDER_MS = START.toEpochMilli() + 61_000;

    /** The three input topics, under their production names (the revenue job's defaults). */
    public enum Stream {
        ORDERS("orders"),
        PRODUCTS("products"),
        CUSTOMERS("customers");

        public final String topic;

        Stream(String topic) {
            this.topic = topic;
        }
    }

    /** One generated record: where it goes, its key, value and record timestamp. */
    public record Generated(Stream stream, String key, SpecificRecord value, long timestamp) {}

    private final long orders;
    private final int customers;
    private final SplittableRandom random;

    /**
     * @param orders orders to generate (the changelogs follow their span)
     * @param customers distinct customers
     */
    public BenchOrders(long orders, int customers, long seed) {
        this.orders = orders;
        this.customers = customers;
        this.random = new SplittableRandom(seed);
    }

    /** Generates every record in stream order (by record timestamp, snapshot first). */
    public void forEach(Consumer<Generated> out) {
        long start = START.toEpochMilli();
        Product[] products = new Product[PRODUCTS + 1];
        for (int i = 1; i <= PRODUCTS; i++) {
            products[i] = newProduct(Catalog.productId(i));
            out.accept(product(ChangeOp.r, null, products[i], start));
        }
        Customer[] people = new Customer[customers + 1];
        for (int i = 1; i <= customers; i++) {
            people[i] = newCustomer(Catalog.customerId(i));
            out.accept(customer(ChangeOp.r, null, people[i], start));
        }
        long nextUpdate = FIRST_ORDER_MS;
        for (long i = 0; i < orders; i++) {
            long streamTime = FIRST_ORDER_MS + i * 1_000 / ORDERS_PER_SECOND;
            while (nextUpdate <= streamTime) {
                updateProduct(products, nextUpdate, out);
                updateCustomer(people, nextUpdate, out);
                nextUpdate += UPDATE_EVERY_MS;
            }
            out.accept(order(i, streamTime, products));
        }
    }

    /** All generated records, in stream order (for tests and small inputs). */
    public List<Generated> toList() {
        List<Generated> all = new ArrayList<>();
        forEach(all::add);
        return all;
    }

    private Generated order(long number, long streamTime, Product[] products) {
        int roll = random.nextInt(100);
        long eventTime = streamTime;
        if (roll < LATE_PERCENT) {
            eventTime -= 5_000 + random.nextLong(55_001);
        } else if (roll < LATE_PERCENT + DISORDER_PERCENT) {
            eventTime -= random.nextLong(BOUND_MS);
        }
        // The price an order pays is the list price at its stream time: close enough to the
        // version at its event time for a benchmark, and the revenue sums use the order's price.
        int lineCount = 1 + random.nextInt(4);
        List<OrderLine> lines = new ArrayList<>(lineCount);
        int[] chosen = new int[lineCount];
        for (int l = 0; l < lineCount; l++) {
            int product;
            do {
                product = 1 + random.nextInt(PRODUCTS);
            } while (contains(chosen, l, product));
            chosen[l] = product;
            lines.add(
                    OrderLine.newBuilder()
                            .setProductId(products[product].getProductId())
                            .setQuantity(1 + random.nextInt(5))
                            .setUnitPriceMinor(products[product].getListPriceMinor())
                            .build());
        }
        String orderId = "o-" + number;
        Order order =
                Order.newBuilder()
                        .setOrderId(orderId)
                        .setCustomerId(Catalog.customerId(1 + random.nextInt(customers)))
                        .setEventTime(Instant.ofEpochMilli(eventTime))
                        .setCurrency(pick(Catalog.CURRENCIES))
                        .setLines(lines)
                        .build();
        return new Generated(Stream.ORDERS, orderId, order, streamTime);
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private void updateProduct(Product[] products, long time, Consumer<Generated> out) {
        int number = 1 + random.nextInt(PRODUCTS);
        Product before = products[number];
        Product after = Product.newBuilder(before).build();
        if (random.nextInt(10) < 7) {
            // 1-20 % up or down, never by nothing: every update is a new version
            long percent = (1 + random.nextLong(20)) * (random.nextBoolean() ? 1 : -1);
            long price = before.getListPriceMinor();
            long delta = percent * price / 100;
            long changed = Math.max(99, price + (delta == 0 ? Long.signum(percent) : delta));
            after.setListPriceMinor(changed == price ? price + Math.abs(delta) + 1 : changed);
        } else {
            after.setCategory(other(Catalog.CATEGORIES, before.getCategory()));
        }
        products[number] = after;
        out.accept(product(ChangeOp.u, before, after, time));
    }

    private void updateCustomer(Customer[] people, long time, Consumer<Generated> out) {
        int number = 1 + random.nextInt(customers);
        Customer before = people[number];
        Customer after = Customer.newBuilder(before).build();
        if (random.nextBoolean()) {
            after.setSegment(other(Catalog.SEGMENTS, before.getSegment()));
        } else {
            after.setRegion(other(Catalog.REGIONS, before.getRegion()));
        }
        people[number] = after;
        out.accept(customer(ChangeOp.u, before, after, time));
    }

    private static Generated product(ChangeOp op, Product before, Product after, long time) {
        ProductChange change =
                ProductChange.newBuilder()
                        .setOp(op)
                        .setBefore(before)
                        .setAfter(after)
                        .setTsMs(time)
                        .build();
        return new Generated(Stream.PRODUCTS, after.getProductId(), change, time);
    }

    private static Generated customer(ChangeOp op, Customer before, Customer after, long time) {
        CustomerChange change =
                CustomerChange.newBuilder()
                        .setOp(op)
                        .setBefore(before)
                        .setAfter(after)
                        .setTsMs(time)
                        .build();
        return new Generated(Stream.CUSTOMERS, after.getCustomerId(), change, time);
    }

    private Product newProduct(String productId) {
        String category = pick(Catalog.CATEGORIES);
        return Product.newBuilder()
                .setProductId(productId)
                .setName(category + " item " + productId.substring(2))
                .setCategory(category)
                .setListPriceMinor(199 + random.nextLong(19_800))
                .build();
    }

    private Customer newCustomer(String customerId) {
        return Customer.newBuilder()
                .setCustomerId(customerId)
                .setSegment(pick(Catalog.SEGMENTS))
                .setRegion(pick(Catalog.REGIONS))
                .build();
    }

    /** A value of {@code values} other than {@code current}. */
    private String other(List<String> values, String current) {
        int at = values.indexOf(current);
        return values.get((at + 1 + random.nextInt(values.size() - 1)) % values.size());
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
