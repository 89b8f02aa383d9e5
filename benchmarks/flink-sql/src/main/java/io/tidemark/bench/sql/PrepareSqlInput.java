package io.tidemark.bench.sql;

import io.tidemark.bench.probe.VariantArgs;
import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.Decoded;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Copies the benchmark input (Avro single-object encoded {@link Click}s) to a topic Flink SQL's
 * {@code avro} format can read: plain Avro binary of {@link ClickTable#avroSchema()}, {@code type}
 * as the enum's name. Every record keeps its partition, its position in the partition, its key and
 * its timestamp. Not measured: it only puts the input into the shape the SQL variant reads.
 *
 * <p>Arguments: {@code --bootstrap HOST:PORT}, {@code --input} (bench-clicks), {@code --plain}
 * (bench-clicks-plain). Nothing is done when the plain topic already holds as many records as the
 * input; a plain topic with any other count is deleted and written again.
 */
public final class PrepareSqlInput {

    private PrepareSqlInput() {}

    /** What a preparation did. */
    record Outcome(long inputRecords, long written, long skipped, boolean alreadyPrepared) {}

    public static void main(String[] args) {
        try {
            VariantArgs a =
                    VariantArgs.parse(
                            args,
                            Map.of(
                                    "bootstrap",
                                    "",
                                    "input",
                                    "bench-clicks",
                                    "plain",
                                    "bench-clicks-plain"));
            long started = System.nanoTime();
            Outcome outcome = prepare(a.get("bootstrap"), a.get("input"), a.get("plain"));
            long ms = (System.nanoTime() - started) / 1_000_000;
            if (outcome.alreadyPrepared()) {
                System.out.printf(
                        "%s already holds the %d records of %s%n",
                        a.get("plain"), outcome.inputRecords(), a.get("input"));
            } else {
                System.out.printf(
                        "copied %d of %d records from %s to %s in %d ms (%d skipped: not a"
                                + " click with an event time)%n",
                        outcome.written(),
                        outcome.inputRecords(),
                        a.get("input"),
                        a.get("plain"),
                        ms,
                        outcome.skipped());
            }
            System.out.flush();
            System.exit(0);
        } catch (Throwable e) {
            System.err.println("PrepareSqlInput failed: " + rootCause(e));
            e.printStackTrace();
            System.out.println("PrepareSqlInput failed: " + rootCause(e));
            System.out.flush();
            System.exit(1);
        }
    }

    /** Copies {@code input} to {@code plain} unless that is done already. */
    static Outcome prepare(String bootstrap, String input, String plain) throws Exception {
        SingleObjectCodec<Click> codec = SingleObjectCodec.of(Click.class);
        PlainEncoder encoder = new PlainEncoder(ClickTable.avroSchema());
        return prepare(
                bootstrap,
                input,
                plain,
                value -> {
                    Decoded<Click> decoded = codec.decode(value);
                    if (decoded.kind() != Decoded.Kind.RECORD
                            || decoded.record().getEventTime() == null) {
                        return null;
                    }
                    return encoder.encode(decoded.record());
                });
    }

    /**
     * Copies {@code input} to {@code plain} unless that is done already, each value converted by
     * {@code toPlain} (null: skip the record).
     */
    static Outcome prepare(
            String bootstrap, String input, String plain, Function<byte[], byte[]> toPlain)
            throws Exception {
        Map<TopicPartition, long[]> offsets;
        int partitions;
        try (Topics topics = new Topics(bootstrap)) {
            offsets = topics.offsets(input);
            partitions = offsets.size();
            long inputRecords = offsets.values().stream().mapToLong(o -> o[1] - o[0]).sum();
            var existing = topics.partitions(plain);
            if (existing.isPresent()) {
                if (existing.get() == partitions && topics.records(plain) == inputRecords) {
                    return new Outcome(inputRecords, 0, 0, true);
                }
                topics.recreate(plain, partitions);
            } else {
                topics.createIfMissing(plain, partitions);
            }
        }
        return copy(bootstrap, offsets, plain, toPlain);
    }

    private static Outcome copy(
            String bootstrap,
            Map<TopicPartition, long[]> offsets,
            String plain,
            Function<byte[], byte[]> toPlain)
            throws InterruptedException {
        long inputRecords = offsets.values().stream().mapToLong(o -> o[1] - o[0]).sum();
        long written = 0;
        long skipped = 0;
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap);
                KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            List<TopicPartition> partitions = new ArrayList<>(offsets.keySet());
            consumer.assign(partitions);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, offsets.get(tp)[0]);
            }
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < offsets.get(tp)[1])) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset()
                            >= offsets.get(new TopicPartition(record.topic(), record.partition()))[
                                    1]) {
                        continue; // written after we looked: not part of this input
                    }
                    byte[] value = toPlain.apply(record.value());
                    if (value == null) {
                        skipped++;
                        continue;
                    }
                    producer.send(
                            new ProducerRecord<>(
                                    plain,
                                    record.partition(),
                                    record.timestamp(),
                                    record.key(),
                                    value),
                            (metadata, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                }
                            });
                    written++;
                }
                if (failure.get() != null) {
                    break;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("could not write " + plain, failure.get());
        }
        return new Outcome(inputRecords, written, skipped, false);
    }

    /** Plain Avro binary (no header) of a record in a SQL table's schema. */
    static final class PlainEncoder {
        private final Schema schema;
        private final GenericDatumWriter<GenericRecord> writer;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private BinaryEncoder encoder;

        PlainEncoder(Schema schema) {
            this.schema = schema;
            this.writer = new GenericDatumWriter<>(schema, GenericData.get());
        }

        byte[] encode(Click click) {
            GenericRecord row = new GenericData.Record(schema);
            row.put("eventId", click.getEventId());
            row.put("userId", click.getUserId());
            row.put("eventTime", click.getEventTime().toEpochMilli());
            row.put("type", click.getType().name());
            row.put("page", click.getPage());
            row.put("productId", click.getProductId());
            return encode(row);
        }

        Schema schema() {
            return schema;
        }

        byte[] encode(GenericRecord row) {
            bytes.reset();
            encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
            try {
                writer.write(row, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode " + row, e);
            }
            return bytes.toByteArray();
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // Idempotent with at most 5 requests in flight: the order of a partition is kept.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L << 20));
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
