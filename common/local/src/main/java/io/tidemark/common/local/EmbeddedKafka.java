package io.tidemark.common.local;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * An in-process KRaft Kafka with one combined broker + controller node, for tests and the demo.
 *
 * <p>Retention is off ({@code log.retention.ms=-1}) because sample data and backfills carry old
 * event times as record timestamps, which a default broker would delete right away. Topics are
 * never auto-created so that a typo in a topic name fails instead of silently reading nothing.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** KafkaClusterTestKit names its executor threads so (checked against 4.2.0). */
    private static final String TEST_KIT_THREAD_PREFIX = "kafka-cluster-test-kit-";

    private final KafkaClusterTestKit cluster;
    private Admin admin;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Starts a broker with the Tidemark test defaults. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /** Starts a broker with the Tidemark test defaults, overridden by {@code brokerProps}. */
    public static EmbeddedKafka start(Map<String, String> brokerProps) {
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes =
                    new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            defaultBrokerProps().forEach(builder::setConfigProp);
            brokerProps.forEach(builder::setConfigProp);
            cluster = builder.build();
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (Exception e) {
            closeQuietly(cluster);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("embedded Kafka did not start: " + e, e);
        }
    }

    /**
     * Formats the storage directories. Kafka's formatter prints two lines to {@code System.out}
     * (from the test kit's own threads) that would clutter test and demo output; those threads'
     * output is dropped while formatting, other threads' output passes through.
     */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        synchronized (System.class) {
            PrintStream original = System.out;
            System.setOut(
                    new PrintStream(
                            new OutputStream() {
                                @Override
                                public void write(int b) {
                                    if (!isTestKitThread()) {
                                        original.write(b);
                                    }
                                }

                                @Override
                                public void write(byte[] b, int off, int len) {
                                    if (!isTestKitThread()) {
                                        original.write(b, off, len);
                                    }
                                }

                                @Override
                                public void flush() {
                                    original.flush();
                                }
                            },
                            true));
            try {
                cluster.format();
            } finally {
                System.setOut(original);
            }
        }
    }

    private static boolean isTestKitThread() {
        return Thread.currentThread().getName().startsWith(TEST_KIT_THREAD_PREFIX);
    }

    /** The broker settings every embedded broker gets (see the class comment for why). */
    public static Map<String, String> defaultBrokerProps() {
        return Map.of(
                "log.retention.ms", "-1",
                // Kafka refuses records stamped more than 1 h after the broker's clock by
                // default; test data has fixed event times, so the wall clock must not matter.
                "log.message.timestamp.after.max.ms", Long.toString(Long.MAX_VALUE),
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0",
                "auto.create.topics.enable", "false");
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Properties with just {@code bootstrap.servers}, a fresh copy each call. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** A shared admin client, closed with the broker. */
    public synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(clientProperties());
        }
        return admin;
    }

    /**
     * Creates a topic with replication factor 1 and waits until all its partitions have a leader.
     */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Like {@link #createTopic(String, int)}, with topic configs (e.g. {@code cleanup.policy}).
     *
     * @throws IllegalStateException when the topic already exists
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        if (!KafkaTopics.createIfMissing(
                admin(), name, partitions, Optional.of((short) 1), configs)) {
            throw new IllegalStateException("topic " + name + " already exists");
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        closeQuietly(cluster);
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Shutting down a test broker can fail on an already deleted log dir; nothing to do.
        }
    }
}
