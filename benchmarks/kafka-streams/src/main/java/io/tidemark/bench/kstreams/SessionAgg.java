package io.tidemark.bench.kstreams;

import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.UserSession;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The running summary of one session, the same fields and the same order-free folding as Tidemark's
 * {@code SessionAccumulator}/{@code SessionAggregate}: first and last event time, counts per click
 * type and the sorted distinct product ids.
 *
 * <p>Kafka Streams keeps it in the RocksDB session store (and its record cache) as bytes, so every
 * click deserializes and serializes its session's summary once; {@link AggSerde} is a compact
 * hand-written binary format for that (varints, UTF-8 product ids), cheaper than Avro.
 */
final class SessionAgg {

    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    long events;
    long pageViews;
    long productViews;
    long addToCarts;
    long checkouts;

    /** Sorted, distinct. */
    ArrayList<String> products;

    SessionAgg() {
        this.products = new ArrayList<>(4);
    }

    private SessionAgg(int productCapacity) {
        this.products = new ArrayList<>(productCapacity);
    }

    /** Folds one click in (the click's event time is its Kafka Streams timestamp). */
    SessionAgg add(Click click, long eventTime) {
        if (eventTime < start) {
            start = eventTime;
        }
        if (eventTime > end) {
            end = eventTime;
        }
        events++;
        switch (click.getType()) {
            case PAGE_VIEW -> pageViews++;
            case PRODUCT_VIEW -> productViews++;
            case ADD_TO_CART -> addToCarts++;
            case CHECKOUT -> checkouts++;
        }
        String product = click.getProductId();
        if (product != null && !product.isEmpty()) {
            int at = Collections.binarySearch(products, product);
            if (at < 0) {
                products.add(-at - 1, product);
            }
        }
        return this;
    }

    /** Two sessions bridged by a click: min/max, sums and the sorted union. */
    static SessionAgg merge(SessionAgg a, SessionAgg b) {
        SessionAgg merged = new SessionAgg(a.products.size() + b.products.size());
        merged.start = Math.min(a.start, b.start);
        merged.end = Math.max(a.end, b.end);
        merged.events = a.events + b.events;
        merged.pageViews = a.pageViews + b.pageViews;
        merged.productViews = a.productViews + b.productViews;
        merged.addToCarts = a.addToCarts + b.addToCarts;
        merged.checkouts = a.checkouts + b.checkouts;
        List<String> x = a.products;
        List<String> y = b.products;
        int i = 0;
        int j = 0;
        while (i < x.size() && j < y.size()) {
            int cmp = x.get(i).compareTo(y.get(j));
            if (cmp < 0) {
                merged.products.add(x.get(i++));
            } else if (cmp > 0) {
                merged.products.add(y.get(j++));
            } else {
                merged.products.add(x.get(i++));
                j++;
            }
        }
        while (i < x.size()) {
            merged.products.add(x.get(i++));
        }
        while (j < y.size()) {
            merged.products.add(y.get(j++));
        }
        return merged;
    }

    /** The emitted session; its id is {@code userId@startMillis}. */
    UserSession toSession(String userId) {
        return UserSession.newBuilder()
                .setSessionId(sessionId(userId, start))
                .setUserId(userId)
                .setStart(Instant.ofEpochMilli(start))
                .setEnd(Instant.ofEpochMilli(end))
                .setDurationMs(end - start)
                .setEvents(events)
                .setPageViews(pageViews)
                .setProductViews(productViews)
                .setAddToCarts(addToCarts)
                .setCheckouts(checkouts)
                .setProducts(products)
                .setConverted(checkouts > 0)
                .build();
    }

    static String sessionId(String userId, long startMillis) {
        return userId + "@" + startMillis;
    }

    /**
     * Binary format: start (zig-zag varlong), end − start (zig-zag varlong, wrapping), the five
     * counts (varlongs), the number of products (varint) and each product as a varint length and
     * its UTF-8 bytes.
     */
    static final class AggSerde implements Serde<SessionAgg> {

        private final Serializer<SessionAgg> serializer = (topic, agg) -> write(agg);
        private final Deserializer<SessionAgg> deserializer = (topic, bytes) -> read(bytes);

        @Override
        public Serializer<SessionAgg> serializer() {
            return serializer;
        }

        @Override
        public Deserializer<SessionAgg> deserializer() {
            return deserializer;
        }

        static byte[] write(SessionAgg agg) {
            if (agg == null) {
                return null;
            }
            int n = agg.products.size();
            byte[][] products = new byte[n][];
            // 7 varlongs of at most 10 bytes, the product count, lengths and bytes.
            int size = 7 * 10 + 5;
            for (int k = 0; k < n; k++) {
                products[k] = agg.products.get(k).getBytes(StandardCharsets.UTF_8);
                size += 5 + products[k].length;
            }
            byte[] out = new byte[size];
            int at = 0;
            at = putVarLong(out, at, zigZag(agg.start));
            at = putVarLong(out, at, zigZag(agg.end - agg.start));
            at = putVarLong(out, at, agg.events);
            at = putVarLong(out, at, agg.pageViews);
            at = putVarLong(out, at, agg.productViews);
            at = putVarLong(out, at, agg.addToCarts);
            at = putVarLong(out, at, agg.checkouts);
            at = putVarLong(out, at, n);
            for (byte[] product : products) {
                at = putVarLong(out, at, product.length);
                System.arraycopy(product, 0, out, at, product.length);
                at += product.length;
            }
            return at == out.length ? out : java.util.Arrays.copyOf(out, at);
        }

        static SessionAgg read(byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            try {
                Reader in = new Reader(bytes);
                long start = unZigZag(in.varLong());
                long end = start + unZigZag(in.varLong());
                long events = in.varLong();
                long pageViews = in.varLong();
                long productViews = in.varLong();
                long addToCarts = in.varLong();
                long checkouts = in.varLong();
                int n = (int) in.varLong();
                SessionAgg agg = new SessionAgg(n + 2);
                agg.start = start;
                agg.end = end;
                agg.events = events;
                agg.pageViews = pageViews;
                agg.productViews = productViews;
                agg.addToCarts = addToCarts;
                agg.checkouts = checkouts;
                for (int k = 0; k < n; k++) {
                    int length = (int) in.varLong();
                    agg.products.add(new String(bytes, in.at, length, StandardCharsets.UTF_8));
                    in.at += length;
                }
                return agg;
            } catch (IndexOutOfBoundsException e) {
                throw new SerializationException("corrupt session aggregate", e);
            }
        }

        private static long zigZag(long v) {
            return (v << 1) ^ (v >> 63);
        }

        private static long unZigZag(long v) {
            return (v >>> 1) ^ -(v & 1);
        }

        private static int putVarLong(byte[] out, int at, long v) {
            while ((v & ~0x7FL) != 0) {
                out[at++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out[at++] = (byte) v;
            return at;
        }

        private static final class Reader {
            private final byte[] bytes;
            private int at;

            Reader(byte[] bytes) {
                this.bytes = bytes;
            }

            long varLong() {
                long v = 0;
                int shift = 0;
                while (true) {
                    byte b = bytes[at++];
                    v |= (long) (b & 0x7F) << shift;
                    if (b >= 0) {
                        return v;
                    }
                    shift += 7;
                }
            }
        }
    }
}
