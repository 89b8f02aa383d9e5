package io.tidemark.bench.kstreams;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.ClickType;
import io.tidemark.common.schemas.SingleObjectCodec;
import io.tidemark.common.schemas.UserSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The variant end to end at small scale on an in-process broker: 50,000 clicks of 1,000 users who
 * pause longer than the 30 min gap, with disordered and late clicks, two undecodable values and
 * three clicks so late that their session is already closed. Every emitted session must equal the
 * one computed here from the same clicks, and every session that closed before the end of the input
 * must be emitted.
 */
class KafkaStreamsSessionsTest {

    /** {@code -Dkstreams.test.clicks=500000} for a larger (slower) run. */
    private static final int CLICKS = Integer.getInteger("kstreams.test.clicks", 50_000);

    private static final int USERS = 1_000;
    private static final long GAP = Duration.ofMinutes(30).toMillis();
    private static final long GRACE = 2_000;
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @TempDir Path workDir;

    @Test
    void sessionsOfClosedWindowsComeOutOnceAndRight() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("clicks", 2);
            List<Click> clicks = writeInput(kafka, "clicks");

            KafkaStreamsSessions.Args args =
                    KafkaStreamsSessions.Args.parse(
                            new String[] {
                                "--bootstrap", kafka.bootstrapServers(),
                                "--input", "clicks",
                                "--output", "sessions",
                                "--work-dir", workDir.toString(),
                                "--commit-interval-ms", "1000",
                                "--timeout-s", "120"
                            });
            KafkaStreamsSessions.Result result = KafkaStreamsSessions.run(args);
            System.out.printf(
                    "kafka-streams: %d records, %d ms wall, %d ms CPU, %d KiB peak RSS,"
                            + " %.0f records/s%n",
                    result.records(),
                    result.measurement().wallMs(),
                    result.measurement().cpuMs(),
                    result.measurement().peakRssKb(),
                    result.records() * 1000.0 / result.measurement().wallMs());

            assertThat(result.records()).isEqualTo(CLICKS + 2 + 3);
            assertThat(result.skipped()).isEqualTo(2);
            assertThat(result.droppedLate()).isEqualTo(3);
            assertThat(result.threads()).isEqualTo(2);

            Map<String, UserSession> expected = expectedSessions(clicks);
            long lastEventTime =
                    clicks.stream().mapToLong(c -> c.getEventTime().toEpochMilli()).max().orElse(0);
            List<UserSession> emitted = readCommitted(kafka, "sessions");
            Map<String, UserSession> byId = new HashMap<>();
            for (UserSession session : emitted) {
                assertThat(byId.put(session.getSessionId(), session))
                        .as("emitted once: %s", session.getSessionId())
                        .isNull();
                assertThat(session).isEqualTo(expected.get(session.getSessionId()));
            }
            // Closed well before the end of the input (per-partition stream time may lag a bit).
            long closedBy = lastEventTime - GAP - GRACE - 60_000;
            List<String> mustBeOut =
                    expected.values().stream()
                            .filter(s -> s.getEnd().toEpochMilli() < closedBy)
                            .map(UserSession::getSessionId)
                            .toList();
            System.out.printf(
                    "kafka-streams: %d sessions emitted, %d closed by the end%n",
                    byId.size(), mustBeOut.size());
            assertThat(mustBeOut).hasSizeGreaterThan(500);
            assertThat(byId.keySet()).containsAll(mustBeOut);
        }
    }

    /** Writes the clicks (and the skipped and dropped extras); returns the clicks that count. */
    private static List<Click> writeInput(EmbeddedKafka kafka, String topic) {
        SingleObjectCodec<Click> codec = SingleObjectCodec.of(Click.class);
        Random random = new Random(42);
        int[] phase = new int[USERS];
        for (int u = 0; u < USERS; u++) {
            phase[u] = random.nextInt(50);
        }
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        List<Click> counted = new ArrayList<>(CLICKS);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < CLICKS; i++) {
                long clock = T0 + i * 100L; // the producer's stream time: 10 clicks/s
                long minute = (clock - T0) / 60_000;
                int u;
                do {
                    u = random.nextInt(USERS);
                } while ((minute + phase[u]) % 50 >= 15); // active 15 min, then a 35 min pause
                long eventTime = clock;
                double r = random.nextDouble();
                if (r < 0.01) {
                    eventTime -= 5_000 + random.nextInt(55_001);
                } else if (r < 0.06) {
                    eventTime -= random.nextInt(2_001);
                }
                Click click = click(random, i, u, eventTime);
                counted.add(click);
                producer.send(record(topic, click.getUserId(), clock, codec.encode(click)));
                if (i == 1_000 || i == 30_000) {
                    byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
                    producer.send(record(topic, "u-0001", clock, garbage));
                }
                if (i == 20_000 || i == 25_000 || i == 40_000) {
                    // Two hours before anything else: its session closed long ago.
                    Click late = click(random, -i, 7, T0 - Duration.ofHours(2).toMillis());
                    producer.send(record(topic, late.getUserId(), clock, codec.encode(late)));
                }
            }
            producer.flush();
        }
        return counted;
    }

    private static Click click(Random random, int i, int user, long eventTime) {
        ClickType type = ClickType.values()[random.nextInt(ClickType.values().length)];
        String product = type == ClickType.PAGE_VIEW ? null : "p-" + random.nextInt(200);
        return Click.newBuilder()
                .setEventId("e-" + i)
                .setUserId(String.format("u-%04d", user))
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setType(type)
                .setPage(type == ClickType.PAGE_VIEW ? "/home" : null)
                .setProductId(product)
                .build();
    }

    private static ProducerRecord<String, byte[]> record(
            String topic, String key, long timestamp, byte[] value) {
        return new ProducerRecord<>(topic, null, timestamp, key, value);
    }

    /** Every session of the clicks: per user by event time, split where a pause exceeds the gap. */
    private static Map<String, UserSession> expectedSessions(List<Click> clicks) {
        Map<String, List<Click>> byUser = new TreeMap<>();
        clicks.forEach(c -> byUser.computeIfAbsent(c.getUserId(), k -> new ArrayList<>()).add(c));
        Map<String, UserSession> sessions = new HashMap<>();
        byUser.forEach(
                (user, list) -> {
                    list.sort((a, b) -> a.getEventTime().compareTo(b.getEventTime()));
                    List<Click> current = new ArrayList<>();
                    for (Click c : list) {
                        if (!current.isEmpty()
                                && c.getEventTime().toEpochMilli()
                                                - current.get(current.size() - 1)
                                                        .getEventTime()
                                                        .toEpochMilli()
                                        > GAP) {
                            UserSession s = session(user, current);
                            sessions.put(s.getSessionId(), s);
                            current = new ArrayList<>();
                        }
                        current.add(c);
                    }
                    UserSession s = session(user, current);
                    sessions.put(s.getSessionId(), s);
                });
        return sessions;
    }

    private static UserSession session(String user, List<Click> clicks) {
        long start = clicks.get(0).getEventTime().toEpochMilli();
        long end = clicks.get(clicks.size() - 1).getEventTime().toEpochMilli();
        long[] counts = new long[ClickType.values().length];
        TreeSet<String> products = new TreeSet<>();
        for (Click c : clicks) {
            counts[c.getType().ordinal()]++;
            if (c.getProductId() != null) {
                products.add(c.getProductId());
            }
        }
        return UserSession.newBuilder()
                .setSessionId(user + "@" + start)
                .setUserId(user)
                .setStart(Instant.ofEpochMilli(start))
                .setEnd(Instant.ofEpochMilli(end))
                .setDurationMs(end - start)
                .setEvents(clicks.size())
                .setPageViews(counts[ClickType.PAGE_VIEW.ordinal()])
                .setProductViews(counts[ClickType.PRODUCT_VIEW.ordinal()])
                .setAddToCarts(counts[ClickType.ADD_TO_CART.ordinal()])
                .setCheckouts(counts[ClickType.CHECKOUT.ordinal()])
                .setProducts(new ArrayList<>(products))
                .setConverted(counts[ClickType.CHECKOUT.ordinal()] > 0)
                .build();
    }

    /** Everything committed on the topic (the run returned: no transaction is still open). */
    private static List<UserSession> readCommitted(EmbeddedKafka kafka, String topic) {
        SingleObjectCodec<UserSession> codec = SingleObjectCodec.of(UserSession.class);
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<UserSession> sessions = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read the output in time").isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    UserSession session = codec.decode(r.value()).record();
                    assertThat(r.key()).isEqualTo(session.getSessionId());
                    sessions.add(session);
                }
            }
        }
        return sessions;
    }
}
