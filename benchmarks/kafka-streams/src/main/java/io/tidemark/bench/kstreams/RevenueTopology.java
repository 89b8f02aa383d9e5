package io.tidemark.bench.kstreams;

import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.ChangeOp;
import io.tidemark.common.schemas.CustomerChange;
import io.tidemark.common.schemas.Decoded;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;
import io.tidemark.common.schemas.ProductChange;
import io.tidemark.common.schemas.RevenueAggregate;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Tidemark's revenue query on Kafka Streams:
 *
 * <pre>
 *   orders ─▶ dedup by orderId ─▶ key customerId ─▶ left join customers (versioned table, as of
 *     the order's time) ─▶ one record per line, key productId ─▶ left join products (versioned
 *     table) ─▶ key orderId ─▶ assemble the order's lines ─▶ contributions per (category, region,
 *     currency) ─▶ 1-minute windows (grace B) ─▶ suppress until closed ─▶ revenue-1m
 *                                                   └─▶ 1-hour windows ─▶ suppress ─▶ revenue-1h
 * </pre>
 *
 * <p>The temporal joins are stream–table joins against versioned tables ({@code
 * Stores.persistentVersionedKeyValueStore}): each order looks up the version valid at its own
 * timestamp, and the join's grace period {@code B} buffers orders until the table side's stream
 * time has passed them. The changelogs become tables of the only column the query needs (category,
 * region); a delete is a tombstone. Event time is the payload's ({@code eventTime}, {@code ts_ms}),
 * decoded once by the value serde and read by the source's {@link TimestampExtractor}, as in {@link
 * SessionsTopology}.
 *
 * <p>Every key change goes through a repartition topic (four of them): the joins need the order
 * partitioned by customer, then each line by product, the assembly by order and the windows by
 * group. An order counts once per group however many of its lines fall into it, as in Tidemark's
 * job. Results are RevenueAggregates in Avro single-object encoding, keyed {@code
 * category|region|currency|windowStart}, stamped with the window start.
 */
final class RevenueTopology {

    static final String DEDUP_STORE = "order-ids";
    static final String ASSEMBLY_STORE = "order-lines";

    /** How long a version stays readable for an order behind the newest one. */
    static final Duration HISTORY = Duration.ofHours(1);

    private final LongAdder skipped = new LongAdder();
    private final KafkaStreamsRevenue.Args args;

    RevenueTopology(KafkaStreamsRevenue.Args args) {
        this.args = args;
    }

    /** Input records skipped: not a keyed record of the topic's type with an event time. */
    long skipped() {
        return skipped.sum();
    }

    Topology build() {
        Duration grace = Duration.ofMillis(args.graceMs);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(DEDUP_STORE),
                        Serdes.String(),
                        Serdes.Long()));
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ASSEMBLY_STORE),
                        Serdes.String(),
                        RevenueValues.linesSerde()));

        KTable<String, String> regions =
                table(
                        builder,
                        args.customers,
                        CustomerChange.class,
                        c -> c.getTsMs() == null ? -1 : c.getTsMs(),
                        (CustomerChange c) ->
                                c.getOp() == ChangeOp.d ? null : c.getAfter().getRegion(),
                        "customer-versions");
        KTable<String, String> categories =
                table(
                        builder,
                        args.products,
                        ProductChange.class,
                        p -> p.getTsMs() == null ? -1 : p.getTsMs(),
                        (ProductChange p) ->
                                p.getOp() == ChangeOp.d ? null : p.getAfter().getCategory(),
                        "product-versions");

        Serde<Order> orderSerde = serde(Order.class);
        KStream<String, Order> orders =
                builder.stream(
                                args.orders,
                                Consumed.with(Serdes.String(), orderSerde)
                                        .withTimestampExtractor(
                                                new EventTime<>(
                                                        Order.class,
                                                        o ->
                                                                o.getEventTime() == null
                                                                        ? -1
                                                                        : o.getEventTime()
                                                                                .toEpochMilli(),
                                                        skipped))
                                        .withName("orders"))
                        // The input is keyed by orderId: dedup needs no repartition.
                        .process(Dedup::new, Named.as("dedup-orders"), DEDUP_STORE);

        KStream<String, RevenueValues.Line> lines =
                orders.selectKey((orderId, order) -> order.getCustomerId(), Named.as("by-customer"))
                        .leftJoin(
                                regions,
                                (order, region) -> lines(order, region),
                                Joined.with(Serdes.String(), orderSerde, Serdes.String())
                                        .withGracePeriod(grace)
                                        .withName("join-customer"))
                        .flatMap(
                                (customerId, orderLines) -> orderLines,
                                Named.as("lines-by-product"));

        KStream<String, RevenueValues.Sums> contributions =
                lines.leftJoin(
                                categories,
                                RevenueValues.Line::withCategory,
                                Joined.with(
                                                Serdes.String(),
                                                RevenueValues.lineSerde(),
                                                Serdes.String())
                                        .withGracePeriod(grace)
                                        .withName("join-product"))
                        .selectKey((productId, line) -> line.orderId, Named.as("by-order"))
                        .repartition(
                                org.apache.kafka.streams.kstream.Repartitioned.with(
                                                Serdes.String(), RevenueValues.lineSerde())
                                        .withName("lines-by-order"))
                        .process(Assemble::new, Named.as("assemble-order"), ASSEMBLY_STORE);

        KStream<Windowed<String>, RevenueValues.Sums> minutes =
                contributions
                        .groupByKey(
                                Grouped.with(
                                        "by-group", Serdes.String(), RevenueValues.sumsSerde()))
                        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), grace))
                        .aggregate(
                                RevenueValues.Sums::new,
                                (group, c, sums) -> sums.add(c.orders, c.units, c.revenueMinor),
                                Named.as("revenue-1m"),
                                Materialized
                                        .<String, RevenueValues.Sums, WindowStore<Bytes, byte[]>>as(
                                                "revenue-1m")
                                        .withKeySerde(Serdes.String())
                                        .withValueSerde(RevenueValues.sumsSerde()))
                        .suppress(
                                Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
                                        .withName("until-1m-closes"))
                        .toStream(Named.as("closed-1m"));
        write(minutes, args.output1m, "1m");

        KStream<Windowed<String>, RevenueValues.Sums> hours =
                minutes.process(ByGroup::new, Named.as("minutes-by-group"))
                        .groupByKey(
                                Grouped.with(
                                        "rollup-by-group",
                                        Serdes.String(),
                                        RevenueValues.sumsSerde()))
                        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofHours(1), grace))
                        .aggregate(
                                RevenueValues.Sums::new,
                                (group, m, sums) -> sums.add(m.orders, m.units, m.revenueMinor),
                                Named.as("revenue-1h"),
                                Materialized
                                        .<String, RevenueValues.Sums, WindowStore<Bytes, byte[]>>as(
                                                "revenue-1h")
                                        .withKeySerde(Serdes.String())
                                        .withValueSerde(RevenueValues.sumsSerde()))
                        .suppress(
                                Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
                                        .withName("until-1h-closes"))
                        .toStream(Named.as("closed-1h"));
        write(hours, args.output1h, "1h");
        return builder.build();
    }

    /**
     * A versioned table of one column of a changelog: {@code column} of the after image, null (a
     * tombstone) for a delete.
     */
    private <C extends SpecificRecord> KTable<String, String> table(
            StreamsBuilder builder,
            String topic,
            Class<C> type,
            ToLongFunction<C> eventTime,
            java.util.function.Function<C, String> column,
            String store) {
        return builder.stream(
                        topic,
                        Consumed.with(Serdes.String(), serde(type))
                                .withTimestampExtractor(new EventTime<>(type, eventTime, skipped))
                                .withName(topic))
                .mapValues(column::apply, Named.as(store + "-column"))
                .toTable(
                        Named.as(store),
                        Materialized.<String, String>as(
                                        Stores.persistentVersionedKeyValueStore(store, HISTORY))
                                .withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.String()));
    }

    /** The order's lines keyed by product, with the region valid at the order's time. */
    private static List<KeyValue<String, RevenueValues.Line>> lines(Order order, String region) {
        List<KeyValue<String, RevenueValues.Line>> out = new ArrayList<>(order.getLines().size());
        for (OrderLine l : order.getLines()) {
            RevenueValues.Line line = new RevenueValues.Line();
            line.orderId = order.getOrderId();
            line.lineCount = order.getLines().size();
            line.currency = order.getCurrency();
            line.region = region == null ? KafkaStreamsRevenue.UNKNOWN : region;
            line.productId = l.getProductId();
            line.quantity = l.getQuantity();
            line.amountMinor = Math.multiplyExact((long) l.getQuantity(), l.getUnitPriceMinor());
            out.add(KeyValue.pair(l.getProductId(), line));
        }
        return out;
    }

    /** Writes closed windows as RevenueAggregates, keyed and stamped as Tidemark's are. */
    private static void write(
            KStream<Windowed<String>, RevenueValues.Sums> windows, String topic, String name) {
        SingleObjectCodec<RevenueAggregate> codec = SingleObjectCodec.of(RevenueAggregate.class);
        windows.process(
                        () ->
                                new Processor<
                                        Windowed<String>, RevenueValues.Sums, String, byte[]>() {
                                    private ProcessorContext<String, byte[]> context;

                                    @Override
                                    public void init(ProcessorContext<String, byte[]> context) {
                                        this.context = context;
                                    }

                                    @Override
                                    public void process(
                                            Record<Windowed<String>, RevenueValues.Sums> record) {
                                        if (record.value() == null) {
                                            return;
                                        }
                                        long start = record.key().window().start();
                                        String[] group = record.key().key().split("\\|", -1);
                                        RevenueAggregate aggregate =
                                                RevenueAggregate.newBuilder()
                                                        .setWindowStart(Instant.ofEpochMilli(start))
                                                        .setWindowEnd(
                                                                Instant.ofEpochMilli(
                                                                        record.key()
                                                                                .window()
                                                                                .end()))
                                                        .setCategory(group[0])
                                                        .setRegion(group[1])
                                                        .setCurrency(group[2])
                                                        .setOrders(record.value().orders)
                                                        .setUnits(record.value().units)
                                                        .setRevenueMinor(
                                                                record.value().revenueMinor)
                                                        .build();
                                        context.forward(
                                                new Record<>(
                                                        record.key().key()
                                                                + "|"
                                                                + AvroJson.formatInstant(start),
                                                        codec.encode(aggregate),
                                                        start));
                                    }
                                },
                        Named.as("to-aggregate-" + name))
                .to(
                        topic,
                        Produced.with(Serdes.String(), Serdes.ByteArray())
                                .withName("sink-" + name));
    }

    private static <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
        SingleObjectCodec<T> codec = SingleObjectCodec.of(type);
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : codec.encode(value),
                (topic, bytes) -> {
                    Decoded<T> decoded = codec.decode(bytes);
                    return decoded.kind() == Decoded.Kind.RECORD ? decoded.record() : null;
                });
    }

    /** The payload's event time; -1 (skip) for what is not a keyed record of the type. */
    static final class EventTime<T> implements TimestampExtractor {
        private final Class<T> type;
        private final ToLongFunction<T> eventTime;
        private final LongAdder skipped;

        EventTime(Class<T> type, ToLongFunction<T> eventTime, LongAdder skipped) {
            this.type = type;
            this.eventTime = eventTime;
            this.skipped = skipped;
        }

        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            if (record.key() != null && type.isInstance(record.value())) {
                long t = eventTime.applyAsLong(type.cast(record.value()));
                if (t >= 0) {
                    return t;
                }
            }
            skipped.increment();
            return -1;
        }
    }

    /**
     * Drops a copy of an order whose orderId passed within the dedup horizon (24 h, Tidemark's
     * default) of the copy that passed. The first copy <em>read</em> passes (Tidemark: the first in
     * event time); the ids stay in the store, which is not purged in a benchmark-length run.
     */
    static final class Dedup implements Processor<String, Order, String, Order> {
        static final long HORIZON_MS = Duration.ofHours(24).toMillis();
        private ProcessorContext<String, Order> context;
        private KeyValueStore<String, Long> passed;

        @Override
        public void init(ProcessorContext<String, Order> context) {
            this.context = context;
            this.passed = context.getStateStore(DEDUP_STORE);
        }

        @Override
        public void process(Record<String, Order> record) {
            Long at = passed.get(record.key());
            if (at != null && Math.abs(record.timestamp() - at) <= HORIZON_MS) {
                return;
            }
            passed.put(record.key(), record.timestamp());
            context.forward(record);
        }
    }

    /**
     * Collects an order's joined lines (keyed by orderId) and, once all arrived, emits what the
     * order adds to each group it falls into: 1 order, its units and amount there. The state of an
     * order is deleted when it is complete.
     */
    static final class Assemble
            implements Processor<String, RevenueValues.Line, String, RevenueValues.Sums> {
        private ProcessorContext<String, RevenueValues.Sums> context;
        private KeyValueStore<String, RevenueValues.Lines> pending;

        @Override
        public void init(ProcessorContext<String, RevenueValues.Sums> context) {
            this.context = context;
            this.pending = context.getStateStore(ASSEMBLY_STORE);
        }

        @Override
        public void process(Record<String, RevenueValues.Line> record) {
            RevenueValues.Line line = record.value();
            RevenueValues.Lines lines = pending.get(record.key());
            if (lines == null) {
                lines = new RevenueValues.Lines();
            }
            lines.lines.add(line);
            if (lines.lines.size() < line.lineCount) {
                pending.put(record.key(), lines);
                return;
            }
            pending.delete(record.key());
            Map<String, RevenueValues.Sums> byGroup = new TreeMap<>();
            for (RevenueValues.Line l : lines.lines) {
                byGroup.computeIfAbsent(l.group(), g -> new RevenueValues.Sums().add(1, 0, 0))
                        .add(0, l.quantity, l.amountMinor);
            }
            byGroup.forEach(
                    (group, sums) -> context.forward(record.withKey(group).withValue(sums)));
        }
    }

    /** A closed minute as an input of the hourly rollup: its group, stamped with its start. */
    static final class ByGroup
            implements Processor<Windowed<String>, RevenueValues.Sums, String, RevenueValues.Sums> {
        private ProcessorContext<String, RevenueValues.Sums> context;

        @Override
        public void init(ProcessorContext<String, RevenueValues.Sums> context) {
            this.context = context;
        }

        @Override
        public void process(Record<Windowed<String>, RevenueValues.Sums> record) {
            if (record.value() != null) {
                context.forward(
                        new Record<>(
                                record.key().key(), record.value(), record.key().window().start()));
            }
        }
    }
}
