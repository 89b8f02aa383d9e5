package io.tidemark.common.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * An in-process KRaft Kafka with one combined broker + controller node, for the demo, the CLI's
 * local runs and the tests. It is Kafka's own server ({@code KafkaRaftServer}, what {@code
 * kafka.Kafka} runs), formatted and started the way {@code kafka-storage format} and {@code
 * kafka-server-start} do, on loopback ports of its own and a fresh temporary directory; no test
 * kit.
 *
 * <p>Retention is off ({@code log.retention.ms=-1}) because sample data and backfills carry old
 * event times as record timestamps, which a default broker would delete right away. Topics are
 * never auto-created so that a typo in a topic name fails instead of silently reading nothing.
 *
 * <p>{@link #startSaslPlain} starts it with SASL/PLAIN on the client listener ({@code
 * SASL_PLAINTEXT}): a client without credentials cannot talk to it. {@link #clientProperties()}
 * then carries the broker's own ({@value #ADMIN_USER}) credentials, and {@link
 * #saslPlainClientProperties} those of another user.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int ATTEMPTS = 3;

    /** The secured broker's own user: it talks to itself with it, and is a super user. */
    public static final String ADMIN_USER = "admin";

    private static final String SASL_LISTENER = "SASL_PLAINTEXT";

    private final KafkaRaftServer server;
    private final Path dir;
    private final String bootstrapServers;
    private final Properties security;
    private Admin admin;

    private EmbeddedKafka(
            KafkaRaftServer server, Path dir, String bootstrapServers, Properties security) {
        this.server = server;
        this.dir = dir;
        this.bootstrapServers = bootstrapServers;
        this.security = security;
    }

    /** Starts a broker with the Tidemark defaults. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker with the Tidemark defaults, overridden by {@code brokerProps}. The ports are
     * free when chosen but may be taken before the broker binds them (another process, another
     * broker of this JVM): such a start is tried again on new ports, up to {@value #ATTEMPTS}
     * times.
     */
    public static EmbeddedKafka start(Map<String, String> brokerProps) {
        return start(brokerProps, null);
    }

    /**
     * Starts a broker whose client listener requires SASL/PLAIN ({@code SASL_PLAINTEXT}).
     *
     * @param users user name → password of the clients it accepts; {@value #ADMIN_USER} is added
     *     when absent (password {@code admin-secret}) and is a super user when {@code brokerProps}
     *     switch on an authorizer
     * @param brokerProps broker settings on top of the defaults, e.g. {@code authorizer.class.name}
     */
    public static EmbeddedKafka startSaslPlain(
            Map<String, String> users, Map<String, String> brokerProps) {
        Map<String, String> all = new java.util.TreeMap<>(users);
        all.putIfAbsent(ADMIN_USER, "admin-secret");
        return start(brokerProps, all);
    }

    /**
     * The {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} a client
     * of a {@link #startSaslPlain} broker needs to log in as {@code user}.
     */
    public static Properties saslPlainClientProperties(String user, String password) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        props.put("sasl.mechanism", "PLAIN");
        props.put("sasl.jaas.config", plainLogin(user, password, Map.of()));
        return props;
    }

    private static String plainLogin(String user, String password, Map<String, String> accepted) {
        StringBuilder jaas =
                new StringBuilder(
                        "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                + " username=\""
                                + user
                                + "\" password=\""
                                + password
                                + "\"");
        accepted.forEach(
                (u, p) -> jaas.append(" user_").append(u).append("=\"").append(p).append('"'));
        return jaas.append(';').toString();
    }

    private static EmbeddedKafka start(Map<String, String> brokerProps, Map<String, String> users) {
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return startOnce(brokerProps, users);
            } catch (IllegalStateException e) {
                failure = e;
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        }
        throw failure;
    }

    private static EmbeddedKafka startOnce(
            Map<String, String> brokerProps, Map<String, String> users) {
        Path dir = null;
        KafkaRaftServer server = null;
        try {
            dir = Files.createTempDirectory("tidemark-kafka");
            String logDir = dir.resolve("logs").toString();
            int[] ports = freePorts(2);
            int brokerPort = ports[0];
            int controllerPort = ports[1];
            Map<String, String> props = new HashMap<>();
            props.put("process.roles", "broker,controller");
            props.put("node.id", Integer.toString(NODE_ID));
            props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
            props.put(
                    "listeners",
                    "PLAINTEXT://127.0.0.1:"
                            + brokerPort
                            + ","
                            + CONTROLLER_LISTENER
                            + "://127.0.0.1:"
                            + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("controller.listener.names", CONTROLLER_LISTENER);
            props.put("inter.broker.listener.name", "PLAINTEXT");
            Properties security = new Properties();
            if (users != null) {
                String client = SASL_LISTENER + "://127.0.0.1:" + brokerPort;
                props.put(
                        "listeners",
                        client + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
                props.put("advertised.listeners", client);
                props.put(
                        "listener.security.protocol.map",
                        SASL_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
                props.put("inter.broker.listener.name", SASL_LISTENER);
                props.put("sasl.enabled.mechanisms", "PLAIN");
                props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
                String adminPassword = users.get(ADMIN_USER);
                props.put(
                        "listener.name."
                                + SASL_LISTENER.toLowerCase(java.util.Locale.ROOT)
                                + ".plain.sasl.jaas.config",
                        plainLogin(ADMIN_USER, adminPassword, users));
                // The broker reaches its controller over the plaintext controller listener, as
                // ANONYMOUS: a super user too when an authorizer is on.
                props.put("super.users", "User:" + ADMIN_USER + ";User:ANONYMOUS");
                security = saslPlainClientProperties(ADMIN_USER, adminPassword);
            }
            props.put("log.dirs", logDir);
            props.put("metadata.log.dir", logDir);
            props.putAll(defaultBrokerProps());
            props.putAll(brokerProps);
            KafkaConfig config = new KafkaConfig(props, false);

            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir))
                    .setMetadataLogDirectory(logDir)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();

            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka =
                    new EmbeddedKafka(server, dir, "127.0.0.1:" + brokerPort, security);
            kafka.awaitReady();
            return kafka;
        } catch (Exception e) {
            stopQuietly(server, dir);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("embedded Kafka did not start: " + e, e);
        }
    }

    /** Waits until the broker is registered and answers metadata requests. */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            try {
                if (!admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException notYet) {
                // not up yet: ask again below, until the deadline
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "no broker registered within " + READY_TIMEOUT + " at " + bootstrapServers);
            }
            Thread.sleep(50); // re-check a condition
        }
    }

    /** {@code n} distinct free loopback ports: all sockets stay open until all are chosen. */
    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new java.util.ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
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
        return bootstrapServers;
    }

    /**
     * Properties with {@code bootstrap.servers} and, for a {@link #startSaslPlain} broker, the
     * {@value #ADMIN_USER}'s SASL settings; a fresh copy each call.
     */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.putAll(security);
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
        stopQuietly(server, dir);
    }

    private static void stopQuietly(KafkaRaftServer server, Path dir) {
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                // Shutting down can fail on an already deleted log dir; nothing to do.
            }
        }
        if (dir != null) {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory: the OS cleans up what is left
        }
    }
}
