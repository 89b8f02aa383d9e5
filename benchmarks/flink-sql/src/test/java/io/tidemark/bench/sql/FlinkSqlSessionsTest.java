package io.tidemark.bench.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.ClickType;
import io.tidemark.common.schemas.SingleObjectCodec;
import io.tidemark.common.schemas.UserSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL variant end to end at small scale: single-object clicks of 500 users with several
 * sessions each, made plain by {@link PrepareSqlInput}, sessionized by {@link FlinkSqlSessions} in
 * streaming and in batch mode; both commit every session the generator made.
 */
class FlinkSqlSessionsTest {

    private static final int USERS = 500;
    private static final long GAP_MS = Duration.ofMinutes(30).toMillis();
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir Path work;

    @Test
    void streamingAndBatchCommitTheSameSessions() throws Exception {
        Input input = generate(42);
        assertThat(input.clicks()).hasSizeBetween(25_000, 35_000);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            kafka.createTopic("bench-clicks", 2);
            produce(kafka, input.clicks());

            var prepared = PrepareSqlInput.prepare(bootstrap, "bench-clicks", "bench-clicks-plain");
            assertThat(prepared.written()).isEqualTo(input.clicks().size());
            assertThat(prepared.skipped()).isZero();
            assertThat(PrepareSqlInput.prepare(bootstrap, "bench-clicks", "bench-clicks-plain"))
                    .extracting(PrepareSqlInput.Outcome::alreadyPrepared)
                    .isEqualTo(true);
            assertSamePartitionsAndOrder(kafka);

            Map<String, Object> streaming =
                    run(
                            bootstrap,
                            "--output",
                            "sessions-streaming",
                            "--mode",
                            "streaming",
                            "--gap-minutes",
                            "30",
                            "--work-dir",
                            work.resolve("streaming").toString());
            Map<String, Object> batch =
                    run(
                            bootstrap,
                            "--output",
                            "sessions-batch",
                            "--mode",
                            "batch",
                            "--state-backend",
                            "hashmap",
                            "--gap-ms",
                            Long.toString(GAP_MS),
                            "--work-dir",
                            work.resolve("batch").toString());
            assertThat(streaming)
                    .containsEntry("variant", "flink-sql")
                    .containsEntry("records", (long) input.clicks().size())
                    .containsEntry("mode", "streaming")
                    .containsEntry("stateBackend", "rocksdb");
            assertThat(batch)
                    .containsEntry("variant", "flink-sql-batch")
                    .containsEntry("mode", "batch")
                    .containsEntry("stateBackend", "hashmap");

            Map<String, UserSession> fromStreaming = committed(kafka, "sessions-streaming");
            Map<String, UserSession> fromBatch = committed(kafka, "sessions-batch");
            System.out.printf(
                    "streaming: %s%nbatch: %s%nsessions: %d streaming, %d batch, %d generated;"
                            + " clicks in sessions: %d streaming, %d batch, %d generated%n",
                    streaming,
                    batch,
                    fromStreaming.size(),
                    fromBatch.size(),
                    input.sessions(),
                    events(fromStreaming),
                    events(fromBatch),
                    input.clicks().size());

            assertThat(fromStreaming).hasSize(input.sessions());
            assertThat(fromBatch).hasSize(fromStreaming.size());
            // Batch has no lateness: every click is in a session. Streaming drops what the
            // watermark has passed, at most the late 1%.
            assertThat(events(fromBatch)).isEqualTo(input.clicks().size());
            assertThat(events(fromStreaming))
                    .isBetween(input.clicks().size() - input.late(), (long) input.clicks().size());
            for (UserSession session : fromBatch.values()) {
                assertThat(session.getSessionId())
                        .isEqualTo(
                                session.getUserId()
                                        + "@"
                                        + AvroJson.formatInstant(
                                                session.getStart().toEpochMilli()));
                assertThat(session.getDurationMs())
                        .isEqualTo(
                                session.getEnd().toEpochMilli()
                                        - session.getStart().toEpochMilli());
                assertThat(session.getEvents())
                        .isEqualTo(
                                session.getPageViews()
                                        + session.getProductViews()
                                        + session.getAddToCarts()
                                        + session.getCheckouts());
                assertThat(session.getProducts()).isSorted().doesNotHaveDuplicates();
                assertThat(session.getConverted()).isEqualTo(session.getCheckouts() > 0);
            }
            assertThat(fromBatch.values().stream().filter(UserSession::getConverted)).isNotEmpty();
            // The bench reporter saw the operators' records.
            assertThat((Map<?, ?>) streaming.get("subtasks")).isNotEmpty();
            assertThat((Map<?, ?>) batch.get("subtasks")).isNotEmpty();
        }
    }

    private Map<String, Object> run(String bootstrap, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap", bootstrap));
        all.addAll(List.of(args));
        String line =
                FlinkSqlSessions.run(FlinkSqlSessions.Options.parse(all.toArray(String[]::new)))
                        .text();
        return io.tidemark.bench.probe.ResultLine.parse(line).entrySet().stream()
                .collect(
                        HashMap::new,
                        (m, e) ->
                                m.put(
                                        e.getKey(),
                                        e.getValue() instanceof Integer i
                                                ? (long) i
                                                : e.getValue()),
                        HashMap::putAll);
    }

    private static long events(Map<String, UserSession> sessions) {
        return sessions.values().stream().mapToLong(UserSession::getEvents).sum();
    }

    /** The generated clicks in stream order, with their record timestamps. */
    record Input(List<Generated> clicks, int sessions, long late) {}

    record Generated(Click click, long timestamp) {}

    /**
     * 500 users, 2–4 sessions each of 10–30 clicks 5–90 s apart, separated by pauses of 35–120 min
     * (longer than the gap even after any disorder). Then, in stream order, 5% of clicks get an
     * event time up to 2 s before their stream time and 1% one 5–60 s before it: neither can merge
     * or split a session, so the number of sessions is known.
     */
    static Input generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<long[]> clicks = new ArrayList<>(); // stream time, user, session number
        int sessions = 0;
        for (int u = 0; u < USERS; u++) {
            long t = START.toEpochMilli() + random.nextLong(Duration.ofHours(1).toMillis());
            int userSessions = 2 + random.nextInt(3);
            for (int s = 0; s < userSessions; s++) {
                if (s > 0) {
                    t +=
                            Duration.ofMinutes(35).toMillis()
                                    + random.nextLong(Duration.ofMinutes(85).toMillis());
                }
                int n = 10 + random.nextInt(21);
                for (int c = 0; c < n; c++) {
                    if (c > 0) {
                        t += 5_000 + random.nextLong(85_000);
                    }
                    clicks.add(new long[] {t, u, c});
                }
                sessions++;
            }
        }
        clicks.sort(Comparator.<long[]>comparingLong(c -> c[0]).thenComparingLong(c -> c[1]));
        List<Generated> out = new ArrayList<>(clicks.size());
        long late = 0;
        for (int i = 0; i < clicks.size(); i++) {
            long[] c = clicks.get(i);
            long streamTime = c[0];
            long eventTime = streamTime;
            int roll = random.nextInt(100);
            if (roll < 5) {
                eventTime -= 1 + random.nextLong(1_999);
            } else if (roll < 6) {
                eventTime -= 5_000 + random.nextLong(55_001);
                late++;
            }
            String user = "u-" + c[1];
            ClickType type =
                    c[2] == 0
                            ? ClickType.PAGE_VIEW
                            : switch (random.nextInt(20)) {
                                case 0 -> ClickType.CHECKOUT;
                                case 1, 2, 3 -> ClickType.ADD_TO_CART;
                                case 4, 5, 6, 7, 8, 9, 10, 11 -> ClickType.PRODUCT_VIEW;
                                default -> ClickType.PAGE_VIEW;
                            };
            String product =
                    type == ClickType.PRODUCT_VIEW || type == ClickType.ADD_TO_CART
                            ? "p-" + random.nextInt(200)
                            : null;
            Click click =
                    Click.newBuilder()
                            .setEventId("e-" + i)
                            .setUserId(user)
                            .setEventTime(Instant.ofEpochMilli(eventTime))
                            .setType(type)
                            .setPage(product != null ? "/product/" + product : "/")
                            .setProductId(product)
                            .build();
            out.add(new Generated(click, streamTime));
        }
        return new Input(out, sessions, late);
    }

    private static void produce(EmbeddedKafka kafka, List<Generated> clicks) {
        SingleObjectCodec<Click> codec = SingleObjectCodec.of(Click.class);
        Properties props = kafka.clientProperties();
        props.put("linger.ms", "20");
        try (var producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Generated g : clicks) {
                producer.send(
                        new ProducerRecord<>(
                                "bench-clicks",
                                null,
                                g.timestamp(),
                                g.click().getUserId().getBytes(StandardCharsets.UTF_8),
                                codec.encode(g.click())));
            }
        }
    }

    /** Every plain record sits at the offset, with the key and timestamp, of its original. */
    private static void assertSamePartitionsAndOrder(EmbeddedKafka kafka) {
        List<ConsumerRecord<byte[], byte[]>> original = readAll(kafka, "bench-clicks", false);
        List<ConsumerRecord<byte[], byte[]>> plain = readAll(kafka, "bench-clicks-plain", false);
        assertThat(plain).hasSameSizeAs(original);
        Map<String, ConsumerRecord<byte[], byte[]>> byPosition = new HashMap<>();
        original.forEach(r -> byPosition.put(r.partition() + "/" + r.offset(), r));
        for (ConsumerRecord<byte[], byte[]> p : plain) {
            ConsumerRecord<byte[], byte[]> o = byPosition.get(p.partition() + "/" + p.offset());
            assertThat(o).isNotNull();
            assertThat(p.key()).isEqualTo(o.key());
            assertThat(p.timestamp()).isEqualTo(o.timestamp());
        }
    }

    private static Map<String, UserSession> committed(EmbeddedKafka kafka, String topic)
            throws Exception {
        // The sink's value schema has UserSession's fields, types and order: its bytes decode
        // with UserSession's schema as the writer schema.
        var reader = new SpecificDatumReader<UserSession>(UserSession.getClassSchema());
        Map<String, UserSession> sessions = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(kafka, topic, true)) {
            UserSession session =
                    reader.read(null, DecoderFactory.get().binaryDecoder(record.value(), null));
            String key = new String(record.key(), StandardCharsets.UTF_8);
            assertThat(key).isEqualTo(session.getSessionId());
            assertThat(record.timestamp()).isEqualTo(session.getEnd().toEpochMilli());
            assertThat(sessions.put(key, session)).as("session %s twice", key).isNull();
        }
        return sessions;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(
            EmbeddedKafka kafka, String topic, boolean committedOnly) {
        Properties props = kafka.clientProperties();
        props.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                committedOnly ? "read_committed" : "read_uncommitted");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read %s to its end", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
