package io.tidemark.common.local;

import io.tidemark.common.schemas.Heartbeat;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes {@link Heartbeat} records to every partition of input topics, the data-driven liveness
 * path of DESIGN.md §1 ("Idle and empty partitions"): a changelog partition that receives no change
 * for hours would otherwise hold the watermark, and with it every join and window, back.
 *
 * <p><b>The contract of a heartbeat.</b> A heartbeat with event time {@code T} written to partition
 * {@code p} claims: <em>no record with an event time before {@code T} will follow in {@code
 * p}</em>. The jobs treat it exactly like a record at {@code T} for progress (it raises the
 * partition's maximum event time, and so the watermark), then drop it. Records written after it
 * with an event time before {@code T − B} are classified {@code LATE} and go to the late topic,
 * deterministically, as for any other out-of-order record; they are not lost, but they miss the
 * join. So {@code T} must come from something that bounds what the partition's producer can still
 * write. {@link #eventTime} offers three sources:
 *
 * <ul>
 *   <li>{@link EventTimeSource#fixed fixed}: an explicit time (tests, a one-off repair);
 *   <li>{@link EventTimeSource#clockMinus clock minus a lag}: for CDC whose {@code ts_ms} is the
 *       database commit time; the lag must exceed the longest delay between a commit and its change
 *       reaching Kafka (connector lag, snapshot, restart), or later changes become late;
 *   <li>{@link EventTimeSource#following following another topic}: the lowest, over that topic's
 *       non-empty partitions, of the greatest record timestamp, minus a lag — for replays and
 *       simulated time, where the wall clock says nothing about event time. Trust it only if the
 *       followed topic's producers stamp event time as the Kafka timestamp (Tidemark's do) and the
 *       heartbeated topic never lags it by more than the lag.
 * </ul>
 *
 * Heartbeats are written with the Kafka timestamp {@code T}, like every Tidemark producer, so that
 * validation (`validation.max-skew-*`) treats them like data. The writer never writes a heartbeat
 * at or below one it wrote before to the same topic (a clock step back or a stalled followed topic
 * would add records that change nothing).
 */
public final class HeartbeatWriter implements AutoCloseable {

    /** Where a heartbeat's event time comes from. */
    public interface EventTimeSource {
        /** The event time to claim now, or empty when there is no trustworthy one (skip). */
        OptionalLong next(Admin admin) throws Exception;

        /** Always {@code at}. */
        static EventTimeSource fixed(Instant at) {
            long millis = at.toEpochMilli();
            return admin -> OptionalLong.of(millis);
        }

        /** {@code clock − lag}. */
        static EventTimeSource clockMinus(Clock clock, Duration lag) {
            requireNonNegative(lag);
            return admin -> OptionalLong.of(clock.millis() - lag.toMillis());
        }

        /**
         * The lowest, over {@code topic}'s non-empty partitions, of the greatest record timestamp,
         * minus {@code lag}; empty while every partition of {@code topic} is empty.
         */
        static EventTimeSource following(String topic, Duration lag) {
            requireNonNegative(lag);
            return admin -> {
                OptionalLong low = lowestMaxTimestamp(admin, topic);
                return low.isPresent()
                        ? OptionalLong.of(low.getAsLong() - lag.toMillis())
                        : OptionalLong.empty();
            };
        }
    }

    /** What one round wrote: per topic, the event time written, or null when skipped. */
    public record Round(SortedMap<String, Instant> written, SortedMap<String, Integer> partitions) {
        public boolean wroteAny() {
            return written.values().stream().anyMatch(Objects::nonNull);
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final List<String> topics;
    private final EventTimeSource source;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final SingleObjectCodec<Heartbeat> codec = SingleObjectCodec.of(Heartbeat.class);
    private final Map<String, Long> lastWritten = new HashMap<>();

    /**
     * @param clientProps Kafka client properties (security settings and the like); {@code
     *     bootstrapServers} overrides theirs
     */
    public HeartbeatWriter(
            String bootstrapServers,
            Properties clientProps,
            List<String> topics,
            EventTimeSource source) {
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("no topic to write heartbeats to");
        }
        this.topics = List.copyOf(topics);
        this.source = Objects.requireNonNull(source, "source");
        Properties props = new Properties();
        if (clientProps != null) {
            props.putAll(clientProps);
        }
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(props);
        Properties producerProps = (Properties) props.clone();
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(producerProps);
    }

    /**
     * One round: asks the source for the event time and writes one heartbeat to every partition of
     * every topic, then waits until the broker has acknowledged them all.
     *
     * @throws IllegalArgumentException when a topic does not exist
     */
    public Round writeOnce() throws Exception {
        OptionalLong next = source.next(admin);
        SortedMap<String, Instant> written = new TreeMap<>();
        SortedMap<String, Integer> partitions = new TreeMap<>();
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (String topic : topics) {
            int count = KafkaTopics.partitionCount(admin, topic);
            partitions.put(topic, count);
            Long last = lastWritten.get(topic);
            if (next.isEmpty() || (last != null && next.getAsLong() <= last)) {
                written.put(topic, null);
                continue;
            }
            long eventTime = next.getAsLong();
            byte[] value = codec.encode(new Heartbeat(Instant.ofEpochMilli(eventTime)));
            for (int p = 0; p < count; p++) {
                sent.add(producer.send(new ProducerRecord<>(topic, p, eventTime, null, value)));
            }
            lastWritten.put(topic, eventTime);
            written.put(topic, Instant.ofEpochMilli(eventTime));
        }
        producer.flush();
        for (var future : sent) {
            future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        return new Round(written, partitions);
    }

    @Override
    public void close() {
        producer.close(TIMEOUT);
        admin.close(TIMEOUT);
    }

    /**
     * The lowest, over the non-empty partitions of {@code topic}, of the greatest record timestamp
     * in the partition (Kafka's {@code OffsetSpec.maxTimestamp()}); empty when all are empty.
     */
    static OptionalLong lowestMaxTimestamp(Admin admin, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        int count = KafkaTopics.partitionCount(admin, topic);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < count; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.maxTimestamp());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                admin.listOffsets(request).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        OptionalLong low = OptionalLong.empty();
        for (ListOffsetsResult.ListOffsetsResultInfo info : result.values()) {
            if (info.offset() < 0) {
                continue; // empty partition: says nothing about progress
            }
            long max = info.timestamp();
            low = low.isEmpty() || max < low.getAsLong() ? OptionalLong.of(max) : low;
        }
        return low;
    }

    private static void requireNonNegative(Duration lag) {
        if (lag.isNegative()) {
            throw new IllegalArgumentException("the event-time lag must be >= 0, was " + lag);
        }
    }
}
