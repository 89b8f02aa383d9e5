package io.tidemark.common.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One real PostgreSQL for this module's tests (the shared test extension lives in common/testing,
 * which depends on this module), and helpers on it.
 */
final class Databases {

    private static EmbeddedPostgres server;

    private Databases() {}

    static synchronized PostgresConfig start() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(Databases::stop));
        }
        return PostgresConfig.forUrl(
                "jdbc:postgresql://localhost:" + server.getPort() + "/postgres", "postgres");
    }

    private static synchronized void stop() {
        try {
            server.close();
        } catch (IOException e) {
            // the JVM is going away
        }
    }

    /** Drops every table and the schema history, then migrates: a fresh read model. */
    static void freshReadModel(PostgresConfig config) throws SQLException {
        execute(config, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public");
        ReadModelSchema.migrate(config);
    }

    static void execute(PostgresConfig config, String... statements) throws SQLException {
        try (Connection c = config.connect();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
            c.commit();
        }
    }

    static long count(PostgresConfig config, String table) throws SQLException {
        try (Connection c = config.connect();
                Statement s = c.createStatement();
                var r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** A URL nothing listens on. */
    static String deadUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "jdbc:postgresql://localhost:" + socket.getLocalPort() + "/postgres";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
