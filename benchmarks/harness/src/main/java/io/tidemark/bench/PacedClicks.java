package io.tidemark.bench;

import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Produces the benchmark's clicks at a fixed rate (records per wall-clock second) and remembers,
 * per partition, when each new maximum event time was produced: the wall time at which a watermark
 * could first pass an event time, from which {@link LatencyRun} measures a result's latency.
 */
final class PacedClicks {

    /**
     * The schema Flink SQL's {@code avro} format derives from the SQL variant's click table
     * (benchmarks/flink-sql ClickTable): plain Avro binary, type as a string.
     */
    static final Schema SQL_SCHEMA =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"record\",\"namespace\":\"org.apache.flink.avro.generated\",\"fields\":["
                                    + "{\"name\":\"eventId\",\"type\":\"string\"},"
                                    + "{\"name\":\"userId\",\"type\":\"string\"},"
                                    + "{\"name\":\"eventTime\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                                    + "{\"name\":\"type\",\"type\":\"string\"},"
                                    + "{\"name\":\"page\",\"type\":[\"null\",\"string\"],\"default\":null},"
                                    + "{\"name\":\"productId\",\"type\":[\"null\",\"string\"],\"default\":null}]}");

    /** How each variant's input encodes a click. */
    enum Encoding {
        SINGLE_OBJECT,
        PLAIN_SQL
    }

    private final int partitions;

    /** Per partition: the produced maxima of event time and when each was produced (nanos). */
    private final List<long[]> maxima = new ArrayList<>();

    private final List<long[]> producedAt = new ArrayList<>();
    private final int[] sizes;

    PacedClicks(int partitions) {
        this.partitions = partitions;
        this.sizes = new int[partitions];
        for (int p = 0; p < partitions; p++) {
            maxima.add(new long[1 << 16]);
            producedAt.add(new long[1 << 16]);
        }
    }

    /**
     * Produces {@code clicks} into {@code topic} at {@code rate} per second until {@code
     * durationMs} has passed, starting now; returns how many were produced.
     */
    long produce(
            String bootstrap,
            String topic,
            BenchClicks clicks,
            Encoding encoding,
            double rate,
            long durationMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        Function<Click, byte[]> encode = encoder(encoding);
        long start = System.nanoTime();
        long end = start + durationMs * 1_000_000;
        long[] produced = new long[1];
        try (var producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            clicks.forEachWhile(
                    generated -> {
                        long now = System.nanoTime();
                        if (now > end) {
                            return false;
                        }
                        long due = start + (long) (produced[0] * 1e9 / rate);
                        while (now < due) {
                            java.util.concurrent.locks.LockSupport.parkNanos(due - now);
                            now = System.nanoTime();
                        }
                        Click click = generated.click();
                        byte[] key = click.getUserId().getBytes(StandardCharsets.UTF_8);
                        int partition = partitionOf(key);
                        producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        partition,
                                        generated.timestamp(),
                                        key,
                                        encode.apply(click)));
                        record(partition, click.getEventTime().toEpochMilli(), System.nanoTime());
                        produced[0]++;
                        return true;
                    });
        }
        return produced[0];
    }

    /** The partition the default partitioner gives {@code key}. */
    int partitionOf(byte[] key) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    private synchronized void record(int partition, long eventTime, long nanos) {
        int n = sizes[partition];
        long[] max = maxima.get(partition);
        if (n > 0 && eventTime <= max[n - 1]) {
            return;
        }
        if (n == max.length) {
            maxima.set(partition, max = java.util.Arrays.copyOf(max, n * 2));
            producedAt.set(partition, java.util.Arrays.copyOf(producedAt.get(partition), n * 2));
        }
        max[n] = eventTime;
        producedAt.get(partition)[n] = nanos;
        sizes[partition] = n + 1;
    }

    /**
     * When partition {@code partition} first had a record with event time ≥ {@code eventTime}
     * produced (System.nanoTime), or -1 if none yet.
     */
    synchronized long firstProducedAtOrAfter(int partition, long eventTime) {
        long[] max = maxima.get(partition);
        int index = java.util.Arrays.binarySearch(max, 0, sizes[partition], eventTime);
        int at = index >= 0 ? index : -index - 1;
        return at < sizes[partition] ? producedAt.get(partition)[at] : -1;
    }

    int partitions() {
        return partitions;
    }

    private static Function<Click, byte[]> encoder(Encoding encoding) {
        if (encoding == Encoding.SINGLE_OBJECT) {
            SingleObjectCodec<Click> codec = SingleObjectCodec.of(Click.class);
            return codec::encode;
        }
        GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(SQL_SCHEMA);
        return click -> {
            GenericRecord record = new GenericData.Record(SQL_SCHEMA);
            record.put("eventId", click.getEventId());
            record.put("userId", click.getUserId());
            record.put("eventTime", click.getEventTime().toEpochMilli());
            record.put("type", click.getType().name());
            record.put("page", click.getPage());
            record.put("productId", click.getProductId());
            ByteArrayOutputStream out = new ByteArrayOutputStream(64);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            try {
                writer.write(record, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        };
    }
}
