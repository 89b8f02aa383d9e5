package io.tidemark.bench.sql;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The few topic operations the variant does before it starts (none of them measured). */
final class Topics implements AutoCloseable {

    private final Admin admin;

    Topics(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(props);
    }

    /** The number of partitions of {@code topic}, or empty when it does not exist. */
    Optional<Integer> partitions(String topic) throws InterruptedException, ExecutionException {
        try {
            return Optional.of(
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions()
                            .size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Partition → [beginning offset, end offset] of an existing topic. */
    Map<TopicPartition, long[]> offsets(String topic)
            throws InterruptedException, ExecutionException {
        int partitions =
                partitions(topic)
                        .orElseThrow(() -> new IllegalArgumentException("no topic named " + topic));
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        var begin = admin.listOffsets(earliest).all().get();
        var end = admin.listOffsets(latest).all().get();
        Map<TopicPartition, long[]> offsets = new HashMap<>();
        begin.forEach(
                (tp, info) -> offsets.put(tp, new long[] {info.offset(), end.get(tp).offset()}));
        return offsets;
    }

    /** The records of an existing topic: end minus beginning offset, summed over partitions. */
    long records(String topic) throws InterruptedException, ExecutionException {
        return offsets(topic).values().stream().mapToLong(o -> o[1] - o[0]).sum();
    }

    /** Creates {@code topic} with the broker's replication factor unless it exists. */
    void createIfMissing(String topic, int partitions)
            throws InterruptedException, ExecutionException {
        if (partitions(topic).isPresent()) {
            return;
        }
        try {
            admin.createTopics(
                            List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                    .all()
                    .get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /**
     * Deletes {@code topic} and creates it again, empty; retries the creation while the broker
     * still finishes the deletion.
     */
    void recreate(String topic, int partitions) throws InterruptedException, ExecutionException {
        if (partitions(topic).isPresent()) {
            admin.deleteTopics(List.of(topic)).all().get();
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                admin.createTopics(
                                List.of(
                                        new NewTopic(
                                                topic, Optional.of(partitions), Optional.empty())))
                        .all()
                        .get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200); // the deletion is still under way: try again
            }
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
