package io.tidemark.common.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Topic administration shared by the embedded broker, the loader and the CLI. */
public final class KafkaTopics {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private KafkaTopics() {}

    /**
     * Creates a topic and waits until every partition has a leader.
     *
     * @param replicationFactor empty for the broker's default
     * @return false when the topic already existed (it is left as it is)
     */
    public static boolean createIfMissing(
            Admin admin,
            String name,
            int partitions,
            Optional<Short> replicationFactor,
            Map<String, String> configs) {
        NewTopic topic =
                new NewTopic(name, Optional.of(partitions), replicationFactor).configs(configs);
        try {
            admin.createTopics(List.of(topic))
                    .all()
                    .get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new IllegalStateException(
                    "could not create topic " + name + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not create topic " + name + " within " + DEFAULT_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
        awaitLeaders(admin, name, partitions, DEFAULT_TIMEOUT);
        return true;
    }

    /** Waits until the topic exists with {@code partitions} partitions that all have a leader. */
    public static void awaitLeaders(Admin admin, String name, int partitions, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<TopicDescription> description = describe(admin, name);
            if (description.isPresent()
                    && description.get().partitions().size() == partitions
                    && description.get().partitions().stream().allMatch(p -> p.leader() != null)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "topic "
                                + name
                                + " has no leader for all "
                                + partitions
                                + " partitions after "
                                + timeout);
            }
            // Describe is a network round trip; pause briefly between polls, bounded by the
            // deadline.
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /**
     * The number of partitions of an existing topic.
     *
     * @throws IllegalArgumentException when the topic does not exist
     */
    public static int partitionCount(Admin admin, String name) {
        return describe(admin, name)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "topic " + name + " does not exist; create it first"))
                .partitions()
                .size();
    }

    /** The topic's description, empty when it does not exist. */
    public static Optional<TopicDescription> describe(Admin admin, String name) {
        try {
            return Optional.of(
                    admin.describeTopics(List.of(name))
                            .allTopicNames()
                            .get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .get(name));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new IllegalStateException(
                    "could not describe topic " + name + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "no answer from Kafka about topic "
                            + name
                            + " within "
                            + DEFAULT_TIMEOUT
                            + "; is the broker reachable?",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic " + name, e);
        }
    }
}
