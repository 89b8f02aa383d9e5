package io.tidemark.cli;

import io.tidemark.common.postgres.PostgresConfig;
import io.tidemark.common.postgres.ReadModelSchema;
import io.tidemark.common.runtime.kafka.PreflightException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tidemark db migrate|status}: the PostgreSQL read model's schema. */
@Command(
        name = "db",
        mixinStandardHelpOptions = true,
        description =
                "The PostgreSQL read model's schema (Flyway migrations, history table"
                        + " tidemark_schema_history).",
        subcommands = {DbCommand.Migrate.class, DbCommand.Status.class})
final class DbCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw CliOptions.invalid(spec, "Missing subcommand: migrate or status");
    }

    /** Fails with one line naming the URL when the database cannot be reached. */
    private static void requireReachable(PostgresConfig config) {
        try (Connection ignored = ReadModelOptions.connect(config)) {
            // reachable
        } catch (SQLException closing) {
            // the connection was made; closing it does not matter
        }
    }

    private static String version(String version) {
        return version == null ? "none (empty database)" : version;
    }

    @Command(
            name = "migrate",
            mixinStandardHelpOptions = true,
            description = {
                "Applies the read model's pending migrations, for databases whose owners run the"
                        + " jobs with sink.postgres.migrate=false (jobs migrate at start by"
                        + " default). Safe to repeat, and to run while jobs start: Flyway holds a"
                        + " lock while it migrates."
            })
    static final class Migrate implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin ReadModelOptions readModel;

        @Override
        public Integer call() {
            PostgresConfig config = readModel.resolve();
            requireReachable(config);
            int applied = ReadModelSchema.migrate(config);
            String version = version(ReadModelSchema.currentVersion(config));
            PrintWriter out = spec.commandLine().getOut();
            out.println(
                    applied == 0
                            ? "The read model at "
                                    + config.url()
                                    + " is up to date (version "
                                    + version
                                    + ")."
                            : "Migrated the read model at "
                                    + config.url()
                                    + ": "
                                    + applied
                                    + " migration"
                                    + (applied == 1 ? "" : "s")
                                    + " applied, now at version "
                                    + version
                                    + ".");
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = {
                "Prints the read model's schema version and its pending migrations.",
                "Exit code 0: up to date; 1: migrations pending (run tidemark db migrate)."
            })
    static final class Status implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin ReadModelOptions readModel;

        @Override
        public Integer call() {
            PostgresConfig config = readModel.resolve();
            requireReachable(config);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "Read model at %s: schema version %s%n",
                    config.url(), version(ReadModelSchema.currentVersion(config)));
            try {
                ReadModelSchema.requireUpToDate(config);
                out.println("No pending migrations.");
                return 0;
            } catch (PreflightException pending) {
                out.println(pending.getMessage());
                return 1;
            } finally {
                out.flush();
            }
        }
    }
}
