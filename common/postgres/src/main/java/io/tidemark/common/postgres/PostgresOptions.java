package io.tidemark.common.postgres;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options of the PostgreSQL read model ({@code sink.postgres.*}), accepted by every job. The sink
 * is off unless {@link #URL} is set. The password never comes from the command line or a config
 * value: it is read, where the job runs, from an environment variable ({@link #PASSWORD_ENV}) or a
 * file ({@link #PASSWORD_FILE}, e.g. a mounted Kubernetes secret).
 */
public final class PostgresOptions {

    private PostgresOptions() {}

    public static final String DEFAULT_PASSWORD_ENV = "TIDEMARK_POSTGRES_PASSWORD";

    public static final ConfigOption<String> URL =
            ConfigOptions.key("sink.postgres.url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "JDBC URL of the read model, jdbc:postgresql://host:port/database;"
                                    + " unset = no PostgreSQL sink.");

    public static final ConfigOption<String> USER =
            ConfigOptions.key("sink.postgres.user")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Database user; the driver's default when unset.");

    /** Declared only to refuse it with a message that says where the password goes instead. */
    public static final ConfigOption<String> PASSWORD =
            ConfigOptions.key("sink.postgres.password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Not accepted: use sink.postgres.password-env or"
                                    + " sink.postgres.password-file.");

    public static final ConfigOption<String> PASSWORD_ENV =
            ConfigOptions.key("sink.postgres.password-env")
                    .stringType()
                    .defaultValue(DEFAULT_PASSWORD_ENV)
                    .withDescription(
                            "Environment variable holding the password, read where the job runs"
                                    + " (JobManager and TaskManagers); unset variable = no"
                                    + " password.");

    public static final ConfigOption<String> PASSWORD_FILE =
            ConfigOptions.key("sink.postgres.password-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding the password (trailing newline ignored), read where the"
                                    + " job runs; takes precedence over password-env.");

    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("sink.postgres.batch-size")
                    .intType()
                    .defaultValue(500)
                    .withDescription(
                            "Rows buffered per table before a write; every checkpoint and the end"
                                    + " of input flush what is buffered.");

    public static final ConfigOption<Integer> MAX_RETRIES =
            ConfigOptions.key("sink.postgres.max-retries")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Attempts after a failed write (connection lost, deadlock, …) before"
                                    + " the task fails and the job restarts from its last"
                                    + " checkpoint.");

    public static final ConfigOption<Duration> RETRY_BACKOFF =
            ConfigOptions.key("sink.postgres.retry-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("Wait before retry n: n times this.");

    public static final ConfigOption<Duration> CONNECT_TIMEOUT =
            ConfigOptions.key("sink.postgres.connect-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("How long connecting may take before it counts as failed.");

    public static final ConfigOption<Boolean> MIGRATE =
            ConfigOptions.key("sink.postgres.migrate")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Apply the read model's pending schema migrations when the job starts;"
                                    + " false = only check that the schema is up to date (for"
                                    + " databases migrated by their owners with tidemark db"
                                    + " migrate).");

    public static List<ConfigOption<?>> all() {
        return List.of(
                URL,
                USER,
                PASSWORD,
                PASSWORD_ENV,
                PASSWORD_FILE,
                BATCH_SIZE,
                MAX_RETRIES,
                RETRY_BACKOFF,
                CONNECT_TIMEOUT,
                MIGRATE);
    }
}
