package io.tidemark.common.local;

import io.tidemark.common.schemas.AvroJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads everything committed in a topic, the way the determinism contract defines output: a {@code
 * read_committed} consumer, from the beginning of every partition up to the end offsets (the last
 * stable offsets) taken when reading starts. Records of open or aborted transactions are never
 * returned.
 */
public final class CommittedReader {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SETTLE_CHECK_INTERVAL = Duration.ofMillis(20);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private CommittedReader() {}

    /** All committed records, partition by partition, each in offset order. */
    public static List<ConsumerRecord<byte[], byte[]>> read(
            String bootstrapServers, String topic, Properties extra) {
        return read(bootstrapServers, topic, extra, DEFAULT_TIMEOUT);
    }

    /**
     * All committed records, partition by partition, each in offset order.
     *
     * @throws IllegalStateException when the end offsets are not reached within {@code timeout}
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(
            String bootstrapServers, String topic, Properties extra, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerProperties(bootstrapServers, extra))) {
            List<TopicPartition> partitions = partitionsOf(consumer, topic, timeout);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition =
                    new LinkedHashMap<>();
            partitions.forEach(tp -> byPartition.put(tp, new ArrayList<>()));
            while (!reachedEnd(consumer, endOffsets)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            timeoutMessage(consumer, topic, endOffsets, timeout));
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_INTERVAL)) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    // Records written after reading started are not part of this snapshot.
                    if (record.offset() < endOffsets.get(tp)) {
                        byPartition.get(tp).add(record);
                    }
                }
            }
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            byPartition.values().forEach(all::addAll);
            return all;
        }
    }

    /**
     * Waits until no transaction is open on any partition of {@code topics}: the last stable offset
     * (what {@code read_committed} sees) has reached the high watermark. A producer's commit
     * returns before the broker has written its markers to every partition, so reading right after
     * a job finishes can miss committed records; call this first when all writers are done.
     *
     * @throws IllegalStateException naming the partitions still open after {@code timeout}
     */
    public static void awaitSettled(
            String bootstrapServers, Collection<String> topics, Duration timeout) {
        awaitSettled(bootstrapServers, topics, new Properties(), timeout);
    }

    /**
     * Like {@link #awaitSettled(String, Collection, Duration)}, with client properties such as the
     * job's {@code kafka.*} security settings ({@code isolation.level} in them is ignored).
     */
    public static void awaitSettled(
            String bootstrapServers,
            Collection<String> topics,
            Properties extra,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties committedProps = new Properties();
        if (extra != null) {
            committedProps.putAll(extra);
        }
        committedProps.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Properties uncommitted = new Properties();
        uncommitted.putAll(committedProps);
        uncommitted.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> committed =
                        new KafkaConsumer<>(consumerProperties(bootstrapServers, committedProps));
                KafkaConsumer<byte[], byte[]> all =
                        new KafkaConsumer<>(consumerProperties(bootstrapServers, uncommitted))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                partitions.addAll(partitionsOf(committed, topic, timeout));
            }
            while (true) {
                Map<TopicPartition, Long> stable = committed.endOffsets(partitions, timeout);
                Map<TopicPartition, Long> high = all.endOffsets(partitions, timeout);
                List<TopicPartition> open =
                        partitions.stream()
                                .filter(tp -> !stable.get(tp).equals(high.get(tp)))
                                .toList();
                if (open.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "transactions still open after " + timeout + " on " + open);
                }
                try {
                    Thread.sleep(SETTLE_CHECK_INTERVAL.toMillis()); // re-check a condition
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + open, e);
                }
            }
        }
    }

    /**
     * Every committed value as canonical JSON ({@link AvroJson#canonical}), sorted by key and then
     * by text, so two runs compare line by line whatever the partitioning. A null value (tombstone)
     * is the line {@code null}.
     */
    public static List<String> canonicalLines(String bootstrapServers, String topic) {
        return canonicalLines(bootstrapServers, topic, new Properties());
    }

    public static List<String> canonicalLines(
            String bootstrapServers, String topic, Properties extra) {
        List<KeyedLine> lines = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : read(bootstrapServers, topic, extra)) {
            lines.add(new KeyedLine(keyOf(record), canonicalValue(record)));
        }
        return sorted(lines);
    }

    /**
     * The final value per key, as an upsert-stream consumer would see the topic: within a partition
     * a later offset replaces an earlier one, and a tombstone deletes the key. Sorted like {@link
     * #canonicalLines}.
     *
     * @throws IllegalStateException when one key appears in two partitions, because then which
     *     value is "last" would depend on timing
     */
    public static List<String> canonicalLinesLastPerKey(String bootstrapServers, String topic) {
        return canonicalLinesLastPerKey(bootstrapServers, topic, new Properties());
    }

    public static List<String> canonicalLinesLastPerKey(
            String bootstrapServers, String topic, Properties extra) {
        Map<String, String> lastByKey = new HashMap<>();
        Map<String, Integer> partitionByKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : read(bootstrapServers, topic, extra)) {
            String key = keyOf(record);
            Integer previous = partitionByKey.putIfAbsent(key, record.partition());
            if (previous != null && previous != record.partition()) {
                throw new IllegalStateException(
                        "key "
                                + key
                                + " of topic "
                                + topic
                                + " is in partitions "
                                + previous
                                + " and "
                                + record.partition()
                                + "; its last value is undefined");
            }
            if (record.value() == null) {
                lastByKey.remove(key);
            } else {
                lastByKey.put(key, canonicalValue(record));
            }
        }
        List<KeyedLine> lines = new ArrayList<>();
        lastByKey.forEach((key, line) -> lines.add(new KeyedLine(key, line)));
        return sorted(lines);
    }

    /** Writes lines as UTF-8, each ending with a newline, creating parent directories. */
    public static void writeLines(Path file, List<String> lines) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            StringBuilder text = new StringBuilder();
            lines.forEach(line -> text.append(line).append('\n'));
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The canonical JSON of a record's value; fails naming the record if it does not decode. */
    public static String canonicalValue(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return "null";
        }
        try {
            return AvroJson.canonical(AvroJson.toJson(record.value()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    record.topic()
                            + "-"
                            + record.partition()
                            + "@"
                            + record.offset()
                            + ": value does not decode: "
                            + e.getMessage(),
                    e);
        }
    }

    private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    private static List<String> sorted(List<KeyedLine> lines) {
        lines.sort(
                Comparator.comparing(
                                KeyedLine::key, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(KeyedLine::line));
        return lines.stream().map(KeyedLine::line).toList();
    }

    /**
     * Properties of a consumer that reads only committed records (read_committed, unless {@code
     * extra} sets {@code isolation.level}), as raw bytes, and commits nothing: how every tool and
     * test looks at what a job committed.
     */
    public static Properties consumerProperties(String bootstrapServers, Properties extra) {
        Properties props = new Properties();
        if (extra != null) {
            props.putAll(extra);
        }
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // read_committed unless the caller asks otherwise: awaitSettled compares the two levels.
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        props.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return props;
    }

    private static List<TopicPartition> partitionsOf(
            KafkaConsumer<byte[], byte[]> consumer, String topic, Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist");
        }
        return infos.stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }

    private static boolean reachedEnd(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> endOffsets) {
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static String timeoutMessage(
            KafkaConsumer<byte[], byte[]> consumer,
            String topic,
            Map<TopicPartition, Long> endOffsets,
            Duration timeout) {
        StringBuilder behind = new StringBuilder();
        endOffsets.forEach(
                (tp, end) -> {
                    long position = consumer.position(tp);
                    if (position < end) {
                        behind.append(
                                String.format(
                                        " partition %d at %d of %d;",
                                        tp.partition(), position, end));
                    }
                });
        return "reading committed records of "
                + topic
                + " did not finish within "
                + timeout
                + ":"
                + behind
                + " is the broker reachable?";
    }

    private record KeyedLine(String key, String line) {
        KeyedLine {
            Objects.requireNonNull(line);
        }
    }
}
