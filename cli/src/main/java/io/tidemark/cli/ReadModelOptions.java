package io.tidemark.cli;

import io.tidemark.cli.cluster.ClusterAddresses;
import io.tidemark.common.postgres.PostgresConfig;
import io.tidemark.common.postgres.PostgresOptions;
import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.InvalidConfigException;
import io.tidemark.common.runtime.config.JobArgs;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of every command that reads or migrates the PostgreSQL read model ({@code @Mixin}):
 * the {@code sink.postgres.*} settings, loaded as the jobs load them (a job's YAML file and {@code
 * --set}, {@code ${env:NAME}} resolved, every key checked), so the file a job runs with also
 * queries its tables. Without a URL they default to the local cluster's PostgreSQL ({@code cluster
 * up --postgres}).
 */
final class ReadModelOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "A job configuration file (YAML); its sink.postgres.* keys say where the read"
                            + " model is.")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Configuration, as for the jobs, e.g. --set sink.postgres.user=reader (the"
                            + " password comes from $TIDEMARK_POSTGRES_PASSWORD or"
                            + " sink.postgres.password-env/-file, never from here).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--postgres-url",
            paramLabel = "URL",
            description =
                    "sink.postgres.url, jdbc:postgresql://HOST:PORT/DATABASE (default: from"
                            + " --config/--set, else the local cluster's PostgreSQL).")
    String url;

    @Mixin ClusterCommand.WorkDirOption workDir;

    /**
     * The read model's settings; a usage error naming {@code sink.postgres.url} when none is
     * configured and no local cluster runs PostgreSQL, or naming the key of a bad value.
     */
    PostgresConfig resolve() {
        Map<String, String> settings = new LinkedHashMap<>(overrides);
        if (url != null) {
            settings.put(PostgresOptions.URL.key(), url);
        }
        try {
            Configuration conf = ConfigLoader.load(new JobArgs(config, settings), knownOptions());
            if (!conf.contains(PostgresOptions.URL)) {
                // The local cluster's URL and user; a user configured here stays.
                localCluster()
                        .map(ClusterAddresses::postgresSettings)
                        .orElse(Map.of())
                        .forEach(
                                (key, value) -> {
                                    if (!conf.containsKey(key)) {
                                        conf.setString(key, value);
                                    }
                                });
            }
            return PostgresConfig.from(conf)
                    .orElseThrow(
                            () ->
                                    CliOptions.invalid(
                                            spec,
                                            "no PostgreSQL read model configured: set"
                                                    + " sink.postgres.url (--postgres-url URL,"
                                                    + " --set sink.postgres.url=URL or in the"
                                                    + " --config file), or start the local cluster"
                                                    + " with tidemark cluster up --postgres"));
        } catch (InvalidConfigException e) {
            throw CliOptions.invalid(spec, e.getMessage());
        }
    }

    /** The local cluster's addresses when it runs PostgreSQL; empty outside a checkout. */
    private Optional<ClusterAddresses> localCluster() {
        try {
            return ClusterAddresses.readFrom(workDir.resolve())
                    .filter(a -> a.postgresUrl() != null);
        } catch (IllegalStateException notInACheckout) {
            return Optional.empty();
        }
    }

    /**
     * Every key a job accepts, so that any job's configuration file loads; other keys fail naming
     * them, as they do for the job.
     */
    static List<ConfigOption<?>> knownOptions() {
        Map<String, ConfigOption<?>> byKey = new LinkedHashMap<>();
        PostgresOptions.all().forEach(o -> byKey.put(o.key(), o));
        for (TidemarkJob job : JobRegistry.all()) {
            job.options().forEach(o -> byKey.putIfAbsent(o.key(), o));
        }
        return List.copyOf(byKey.values());
    }

    /** A connection, or a one-line error naming the URL (and user) it could not connect to. */
    static Connection connect(PostgresConfig config) {
        try {
            return config.connect();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot connect to PostgreSQL at "
                            + where(config)
                            + ": "
                            + firstLine(e.getMessage()),
                    e);
        }
    }

    /** A failed statement as a one-line error naming the URL; what to do for a missing table. */
    static IllegalStateException failed(PostgresConfig config, String table, SQLException e) {
        if ("42P01".equals(e.getSQLState())) { // undefined_table
            return new IllegalStateException(
                    "the read model at "
                            + config.url()
                            + " has no table "
                            + table
                            + ": its schema was never applied (tidemark db migrate, or start a job"
                            + " with sink.postgres.url set)",
                    e);
        }
        return new IllegalStateException(
                "reading "
                        + table
                        + " at "
                        + config.url()
                        + " failed: "
                        + firstLine(e.getMessage()),
                e);
    }

    private static String where(PostgresConfig config) {
        return config.url() + (config.user() == null ? "" : " as " + config.user());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
