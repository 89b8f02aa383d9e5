package io.tidemark.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The local cluster: a real Kafka broker and a real Flink session cluster as separate processes,
 * optionally preceded by a real PostgreSQL for the read model, started in that order and stopped in
 * reverse. Everything it writes is under the {@link WorkDir}.
 */
public final class LocalCluster {

    /** Ports and size of a local cluster. */
    public record Ports(int kafka, int kafkaController, int rest, int rpc, int slots) {

        public static Ports defaults() {
            return new Ports(9092, 9093, 8081, 6123, 6);
        }
    }

    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private final WorkDir workDir;
    private final Ports ports;
    private final LocalKafkaBroker kafka;
    private final LocalFlinkCluster flink;
    private final LocalPostgresServer postgres;

    public LocalCluster(TidemarkHome home, WorkDir workDir, Ports ports) {
        this(home, workDir, ports, OptionalInt.empty());
    }

    /**
     * @param postgresPort the port of the cluster's PostgreSQL, or empty for a cluster without one
     */
    public LocalCluster(TidemarkHome home, WorkDir workDir, Ports ports, OptionalInt postgresPort) {
        this.workDir = workDir;
        this.ports = ports;
        this.kafka = new LocalKafkaBroker(home, workDir, ports.kafka(), ports.kafkaController());
        this.flink = new LocalFlinkCluster(home, workDir, ports.rest(), ports.rpc(), ports.slots());
        this.postgres =
                postgresPort.isPresent()
                        ? new LocalPostgresServer(home, workDir, postgresPort.getAsInt())
                        : null;
    }

    /**
     * For {@code status} and {@code down}, which need no ports: they go by pid files. PostgreSQL
     * belongs to the cluster when {@code up} started it (its pid file is there).
     */
    public static LocalCluster at(WorkDir workDir) {
        boolean postgres =
                java.nio.file.Files.exists(workDir.pid(LocalPostgresServer.PROCESS))
                        || ClusterAddresses.readFrom(workDir)
                                .map(a -> a.postgresUrl() != null)
                                .orElse(false);
        // The port only matters to up(); status and down find the process by its pid file.
        return new LocalCluster(
                null,
                workDir,
                Ports.defaults(),
                postgres ? OptionalInt.of(0) : OptionalInt.empty());
    }

    /** Every process of the cluster, in start order. */
    List<ManagedProcess> processes() {
        List<ManagedProcess> processes = new java.util.ArrayList<>();
        if (postgres != null) {
            processes.add(postgres.process());
        }
        processes.addAll(List.of(kafka.process(), flink.jobManager(), flink.taskManager()));
        return processes;
    }

    /**
     * Starts PostgreSQL (when asked for), the broker, then Flink, and waits until each answers.
     * Stops what it started when one of them fails to come up.
     */
    public ClusterAddresses up() {
        if (processes().stream().anyMatch(p -> p.running().isPresent())) {
            throw new IllegalStateException(
                    "a cluster is already running from "
                            + workDir.root()
                            + " (tidemark cluster status; tidemark cluster down)");
        }
        for (int port :
                new int[] {ports.kafka(), ports.kafkaController(), ports.rest(), ports.rpc()}) {
            requireFree(port);
        }
        if (postgres != null) {
            requireFree(postgres.port());
        }
        workDir.create();
        try {
            if (postgres != null) {
                postgres.start();
            }
            kafka.start();
            flink.start();
            if (postgres != null) {
                postgres.awaitReady(STARTUP_TIMEOUT);
            }
            kafka.awaitReady(STARTUP_TIMEOUT);
            flink.awaitReady(STARTUP_TIMEOUT);
        } catch (RuntimeException e) {
            down();
            throw e;
        }
        ClusterAddresses addresses =
                new ClusterAddresses(
                        kafka.bootstrap(),
                        flink.restUrl(),
                        postgres == null ? null : postgres.jdbcUrl());
        addresses.writeTo(workDir.addresses());
        return addresses;
    }

    /** Each process's pid, or empty when it is not running. */
    public Map<String, Optional<Long>> status() {
        Map<String, Optional<Long>> status = new LinkedHashMap<>();
        processes().forEach(p -> status.put(p.name(), p.running().map(ProcessHandle::pid)));
        return status;
    }

    /**
     * Stops the processes it started, Flink before Kafka and PostgreSQL (jobs must not lose their
     * broker or database first), and removes the addresses file. Data, checkpoints, savepoints and
     * logs stay.
     *
     * @return the names of the processes that were running and are now stopped
     */
    public List<String> down() {
        List<ManagedProcess> reverse = new java.util.ArrayList<>(processes());
        java.util.Collections.reverse(reverse);
        List<String> stopped = new java.util.ArrayList<>();
        for (ManagedProcess process : reverse) {
            if (process.stop()) {
                stopped.add(process.name());
            }
        }
        try {
            java.nio.file.Files.deleteIfExists(workDir.addresses());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stopped;
    }

    private static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress("localhost", port));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "port "
                            + port
                            + " on localhost is in use (another broker, Flink or PostgreSQL?); stop it or choose"
                            + " other ports (tidemark cluster up --help)");
        }
    }
}
