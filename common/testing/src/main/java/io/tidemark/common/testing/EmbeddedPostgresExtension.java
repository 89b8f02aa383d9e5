package io.tidemark.common.testing;

import io.tidemark.common.local.postgres.LocalPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real PostgreSQL per test class (see {@link LocalPostgres}), on a fixed port and data
 * directory so a test can {@link #stop} it and {@link #restart} the same database:
 *
 * <pre>{@code
 * @RegisterExtension static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();
 * }</pre>
 */
public final class EmbeddedPostgresExtension implements BeforeAllCallback, AfterAllCallback {

    private LocalPostgres postgres;
    private int port;
    private Path dataDir;
    private int depth;

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws Exception {
        if (depth++ == 0) {
            dataDir = Files.createTempDirectory("tidemark-postgres-");
            // A fixed port and a kept data directory, so that stop/restart keep URL and data.
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            postgres = LocalPostgres.start(port, dataDir);
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
        if (--depth == 0) {
            if (postgres != null) {
                postgres.close();
                postgres = null;
            }
            org.apache.flink.util.FileUtils.deleteDirectory(dataDir.toFile());
        }
    }

    /** {@code sink.postgres.url} of the running server. */
    public synchronized String jdbcUrl() {
        if (postgres == null) {
            return "jdbc:postgresql://localhost:" + port + "/" + LocalPostgres.DATABASE;
        }
        return postgres.jdbcUrl();
    }

    /** The job settings that write the read model into this server. */
    public Map<String, String> sinkSettings() {
        return Map.of("sink.postgres.url", jdbcUrl(), "sink.postgres.user", LocalPostgres.USER);
    }

    /** Stops the server; the data stays for {@link #restart}. */
    public synchronized void stop() {
        postgres.close();
        postgres = null;
    }

    /** Whether the server runs (not {@link #stop stopped}). */
    public synchronized boolean running() {
        return postgres != null;
    }

    /** Starts the stopped server again on the same port with the same data. */
    public synchronized void restart() {
        postgres = LocalPostgres.start(port, dataDir);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), LocalPostgres.USER, "");
    }

    /** Drops every read-model table and the schema history: the next job starts from nothing. */
    public void reset() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
    }
}
