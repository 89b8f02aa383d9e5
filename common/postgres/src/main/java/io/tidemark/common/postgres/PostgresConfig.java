package io.tidemark.common.postgres;

import io.tidemark.common.runtime.config.InvalidConfigException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;

/**
 * The read model's validated settings ({@link PostgresOptions}), immutable and serializable into
 * the job graph. It holds where the password is, never the password: {@link #connect} reads it
 * where the connection is made, so the secret stays out of the job graph and Flink's web UI.
 */
public final class PostgresConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final String URL_PREFIX = "jdbc:postgresql://";

    private final String url;
    private final String user;
    private final String passwordEnv;
    private final String passwordFile;
    private final int batchSize;
    private final int maxRetries;
    private final Duration retryBackoff;
    private final Duration connectTimeout;
    private final boolean migrate;

    private PostgresConfig(Configuration conf) {
        this.url = conf.get(PostgresOptions.URL).trim();
        this.user = conf.get(PostgresOptions.USER);
        this.passwordEnv = conf.get(PostgresOptions.PASSWORD_ENV);
        this.passwordFile = conf.get(PostgresOptions.PASSWORD_FILE);
        this.batchSize = conf.get(PostgresOptions.BATCH_SIZE);
        this.maxRetries = conf.get(PostgresOptions.MAX_RETRIES);
        this.retryBackoff = conf.get(PostgresOptions.RETRY_BACKOFF);
        this.connectTimeout = conf.get(PostgresOptions.CONNECT_TIMEOUT);
        this.migrate = conf.get(PostgresOptions.MIGRATE);
        if (!url.startsWith(URL_PREFIX)) {
            throw invalid(PostgresOptions.URL.key(), url, URL_PREFIX + "host:port/database");
        }
        if (url.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            throw new InvalidConfigException(
                    "Configuration key 'sink.postgres.url' carries a password: put it in the"
                            + " environment variable named by sink.postgres.password-env (default "
                            + PostgresOptions.DEFAULT_PASSWORD_ENV
                            + ") or in the file named by sink.postgres.password-file");
        }
        if (batchSize < 1) {
            throw invalid(PostgresOptions.BATCH_SIZE.key(), batchSize, "an integer >= 1");
        }
        if (maxRetries < 0) {
            throw invalid(PostgresOptions.MAX_RETRIES.key(), maxRetries, "an integer >= 0");
        }
        if (retryBackoff.isNegative()) {
            throw invalid(PostgresOptions.RETRY_BACKOFF.key(), retryBackoff, "a duration >= 0");
        }
        if (connectTimeout.toSeconds() < 1) {
            throw invalid(PostgresOptions.CONNECT_TIMEOUT.key(), connectTimeout, "at least 1 s");
        }
    }

    /**
     * The read model's settings, or empty when {@code sink.postgres.url} is not set (the sink is
     * off). Fails naming the key on a bad value, and on {@code sink.postgres.password}.
     */
    public static Optional<PostgresConfig> from(Configuration conf) {
        if (conf.contains(PostgresOptions.PASSWORD)) {
            throw new InvalidConfigException(
                    "Configuration key 'sink.postgres.password' is not accepted: a password never"
                            + " goes on the command line or into a config value. Put it in the"
                            + " environment variable named by sink.postgres.password-env (default "
                            + PostgresOptions.DEFAULT_PASSWORD_ENV
                            + ") or in a file named by sink.postgres.password-file");
        }
        String url = conf.get(PostgresOptions.URL);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new PostgresConfig(conf));
    }

    /** Settings for a URL alone, the rest at their defaults (tools and tests). */
    public static PostgresConfig forUrl(String url, String user) {
        Configuration conf = new Configuration();
        conf.set(PostgresOptions.URL, url);
        if (user != null) {
            conf.set(PostgresOptions.USER, user);
        }
        return new PostgresConfig(conf);
    }

    /** A copy with other options on top (tests: batch size, retries). */
    public PostgresConfig with(Map<String, String> overrides) {
        Configuration conf = toConfiguration();
        overrides.forEach(conf::setString);
        return new PostgresConfig(conf);
    }

    /** These settings as {@code sink.postgres.*} keys (the password's source, never a password). */
    public Configuration toConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PostgresOptions.URL, url);
        if (user != null) {
            conf.set(PostgresOptions.USER, user);
        }
        conf.set(PostgresOptions.PASSWORD_ENV, passwordEnv);
        if (passwordFile != null) {
            conf.set(PostgresOptions.PASSWORD_FILE, passwordFile);
        }
        conf.set(PostgresOptions.BATCH_SIZE, batchSize);
        conf.set(PostgresOptions.MAX_RETRIES, maxRetries);
        conf.set(PostgresOptions.RETRY_BACKOFF, retryBackoff);
        conf.set(PostgresOptions.CONNECT_TIMEOUT, connectTimeout);
        conf.set(PostgresOptions.MIGRATE, migrate);
        return conf;
    }

    /** Opens a connection with auto-commit off, reading the password here. */
    public Connection connect() throws SQLException {
        return connect(System::getenv);
    }

    Connection connect(Function<String, String> env) throws SQLException {
        Connection connection = DriverManager.getConnection(url, properties(env));
        connection.setAutoCommit(false);
        return connection;
    }

    /** Connection properties: user, password (read now), timeouts, application name. */
    Properties properties(Function<String, String> env) {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        password(env).ifPresent(password -> props.setProperty("password", password));
        String seconds = Long.toString(connectTimeout.toSeconds());
        props.setProperty("connectTimeout", seconds);
        props.setProperty("loginTimeout", seconds);
        props.setProperty("ApplicationName", "tidemark");
        return props;
    }

    Optional<String> password(Function<String, String> env) {
        if (passwordFile != null) {
            try {
                return Optional.of(Files.readString(Path.of(passwordFile)).strip());
            } catch (IOException e) {
                throw new InvalidConfigException(
                        "Cannot read the PostgreSQL password from the file named by"
                                + " sink.postgres.password-file ("
                                + passwordFile
                                + "): "
                                + e,
                        e);
            }
        }
        return Optional.ofNullable(env.apply(passwordEnv));
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public int batchSize() {
        return batchSize;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public boolean migrate() {
        return migrate;
    }

    private static InvalidConfigException invalid(String key, Object value, String expected) {
        return new InvalidConfigException(
                "Invalid value '"
                        + value
                        + "' for configuration key '"
                        + key
                        + "': expected "
                        + expected);
    }

    @Override
    public String toString() {
        return "PostgresConfig{url="
                + url
                + ", user="
                + user
                + ", password from "
                + (passwordFile != null ? "file " + passwordFile : "env " + passwordEnv)
                + ", batchSize="
                + batchSize
                + ", maxRetries="
                + maxRetries
                + ", migrate="
                + migrate
                + '}';
    }
}
