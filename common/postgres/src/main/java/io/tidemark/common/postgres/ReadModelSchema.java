package io.tidemark.common.postgres;

import io.tidemark.common.runtime.kafka.PreflightException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read model's schema: the versioned SQL files under {@code db/tidemark/} ({@code
 * V<n>__<what>.sql}), applied in order by Flyway, which records each in {@value #HISTORY_TABLE}
 * with a checksum and takes a PostgreSQL advisory lock while it migrates, so jobs starting together
 * do not race. Flyway rather than a hand-written migrator: checksums of applied files, locking and
 * the history table are what it does, in one jar without dependencies.
 */
public final class ReadModelSchema {

    private static final Logger LOG = LoggerFactory.getLogger(ReadModelSchema.class);

    /** Where the migration files are, on the classpath. */
    public static final String LOCATION = "classpath:db/tidemark";

    /** Flyway's history table in the read model's schema. */
    public static final String HISTORY_TABLE = "tidemark_schema_history";

    private ReadModelSchema() {}

    /**
     * What a job does before it starts: connect (failing fast with the URL when it cannot), then
     * migrate ({@code sink.postgres.migrate}, the default) or check that nothing is pending.
     *
     * @throws PreflightException naming the URL and what to do
     */
    public static void preflight(PostgresConfig config) {
        checkConnection(config);
        if (config.migrate()) {
            migrate(config);
        } else {
            requireUpToDate(config);
        }
    }

    /** Connects once and fails naming the URL and the key to fix when it cannot. */
    public static void checkConnection(PostgresConfig config) {
        try (Connection connection = config.connect()) {
            connection.isValid((int) config.connectTimeout().toSeconds());
        } catch (SQLException e) {
            throw new PreflightException(
                    "Cannot connect to PostgreSQL at "
                            + config.url()
                            + " (sink.postgres.url"
                            + (config.user() == null ? "" : ", user " + config.user())
                            + "): "
                            + e.getMessage()
                            + ". Start the database or fix sink.postgres.url / .user /"
                            + " .password-env / .password-file; the job did not start.",
                    e);
        }
    }

    /** Applies the pending migrations; returns how many were applied. */
    public static int migrate(PostgresConfig config) {
        try {
            MigrateResult result = flyway(config).migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info(
                        "Read model at {} migrated from version {} to {} ({} migrations)",
                        config.url(),
                        result.initialSchemaVersion,
                        result.targetSchemaVersion,
                        result.migrationsExecuted);
            }
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new PreflightException(
                    "Migrating the read model at " + config.url() + " failed: " + e.getMessage(),
                    e);
        }
    }

    /** Fails when a migration is pending or an applied one was changed. */
    public static void requireUpToDate(PostgresConfig config) {
        Flyway flyway = flyway(config);
        MigrationInfo[] pending;
        try {
            pending = flyway.info().pending();
        } catch (FlywayException e) {
            throw new PreflightException(
                    "Reading the read model's schema history at "
                            + config.url()
                            + " failed: "
                            + e.getMessage(),
                    e);
        }
        if (pending.length > 0) {
            throw new PreflightException(
                    "The read model at "
                            + config.url()
                            + " is not up to date: pending "
                            + Arrays.stream(pending)
                                    .map(m -> "V" + m.getVersion() + " " + m.getDescription())
                                    .collect(Collectors.joining(", "))
                            + ". Run `tidemark db migrate` with the same sink.postgres.* settings,"
                            + " or set sink.postgres.migrate=true.");
        }
    }

    /** The version the database is at, or {@code null} before the first migration. */
    public static String currentVersion(PostgresConfig config) {
        MigrationInfo current = flyway(config).info().current();
        return current == null ? null : current.getVersion().getVersion();
    }

    private static Flyway flyway(PostgresConfig config) {
        Map<String, String> jdbc = new HashMap<>();
        config.properties(System::getenv).forEach((k, v) -> jdbc.put(k.toString(), v.toString()));
        String user = jdbc.remove("user");
        String password = jdbc.remove("password");
        return Flyway.configure(ReadModelSchema.class.getClassLoader())
                .dataSource(config.url(), user, password)
                .jdbcProperties(jdbc)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .failOnMissingLocations(true)
                .load();
    }
}
