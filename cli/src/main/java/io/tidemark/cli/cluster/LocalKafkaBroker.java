package io.tidemark.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), run from
 * the {@code kafka_2.13} jars: storage formatted once with {@code kafka.tools.StorageTool}, then
 * {@code kafka.Kafka server.properties}.
 */
final class LocalKafkaBroker {

    static final String PROCESS = "kafka";

    private final WorkDir workDir;
    private final TidemarkHome home;
    private final int port;
    private final int controllerPort;
    private final ManagedProcess process;

    LocalKafkaBroker(TidemarkHome home, WorkDir workDir, int port, int controllerPort) {
        this.home = home;
        this.workDir = workDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.process = new ManagedProcess(PROCESS, workDir);
    }

    String bootstrap() {
        return "localhost:" + port;
    }

    ManagedProcess process() {
        return process;
    }

    /**
     * The broker's settings. Time retention is off: sample data and backfills carry event times in
     * the past, and Kafka deletes segments by record timestamp (VERSIONS.md, "Retention eats old
     * event times"). Transactions are replicated once: there is one broker.
     */
    Map<String, String> settings() {
        return Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry(
                        "listeners",
                        "PLAINTEXT://localhost:"
                                + port
                                + ",CONTROLLER://localhost:"
                                + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry(
                        "listener.security.protocol.map",
                        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.quorum.bootstrap.servers", "localhost:" + controllerPort),
                Map.entry("log.dirs", workDir.kafkaData().toString()),
                Map.entry("num.partitions", "2"),
                Map.entry("log.retention.ms", "-1"),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "4"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "4"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"));
    }

    /** Formats the storage on first start (a restart keeps the data), then starts the broker. */
    void start() {
        writeConfig();
        String classpath = home.cliLib() + "/*";
        List<String> jvm =
                List.of(
                        "-Xms256m",
                        "-Xmx512m",
                        "-XX:+UseG1GC",
                        "-Dlog4j2.configurationFile="
                                + home.flinkConf().resolve("log4j-console.properties").toUri(),
                        "-Dkafka.logs.dir=" + workDir.logs());
        if (!Files.exists(workDir.kafkaData().resolve("meta.properties"))) {
            new ManagedProcess("kafka-format", workDir)
                    .runToCompletion(
                            jvm,
                            classpath,
                            "kafka.tools.StorageTool",
                            List.of(
                                    "format",
                                    "--cluster-id",
                                    clusterId(),
                                    "--config",
                                    workDir.kafkaConfig().toString(),
                                    "--standalone"),
                            Duration.ofMinutes(1));
        }
        process.start(jvm, classpath, "kafka.Kafka", List.of(workDir.kafkaConfig().toString()));
    }

    /** Waits until the broker answers an admin request; fails with its log when it died. */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (process.running().isEmpty()) {
                    throw new IllegalStateException(
                            "the Kafka broker exited; last lines of "
                                    + workDir.log(PROCESS)
                                    + ":\n"
                                    + process.logTail(20));
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the Kafka broker did not answer on "
                                    + bootstrap()
                                    + " within "
                                    + timeout
                                    + "; see "
                                    + workDir.log(PROCESS));
                }
                Readiness.pause();
            }
        }
    }

    private void writeConfig() {
        StringBuilder text = new StringBuilder("# written by tidemark cluster up\n");
        settings().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(
                        e -> text.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
        try {
            Files.createDirectories(workDir.kafkaConfig().getParent());
            Files.writeString(workDir.kafkaConfig(), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + workDir.kafkaConfig(), e);
        }
    }

    /** A KRaft cluster id, as {@code kafka-storage random-uuid} prints it. */
    private static String clusterId() {
        return Uuid.randomUuid().toString();
    }
}
