package io.tidemark.cli;

import io.tidemark.common.postgres.PostgresConfig;
import io.tidemark.common.postgres.ReadModelReader;
import io.tidemark.common.postgres.RevenueQuery;
import io.tidemark.common.postgres.tables.RevenueTable;
import io.tidemark.common.schemas.RevenueAggregate;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tidemark query revenue}: the jobs' results read back from the PostgreSQL read model. */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = "Reads the jobs' results from the PostgreSQL read model (sink.postgres.*).",
        subcommands = {QueryCommand.Revenue.class})
final class QueryCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw CliOptions.invalid(spec, "Missing subcommand: revenue");
    }

    @Command(
            name = "revenue",
            mixinStandardHelpOptions = true,
            description = {
                "Prints the revenue windows starting in [--from, --to) from revenue_1h (or"
                        + " revenue_1m with --window 1m): one row per window, category, region"
                        + " and currency, with orders, units and revenue in the currency's major"
                        + " unit, as the revenue job committed them.",
                "The database is the one the jobs write to: sink.postgres.* from --config and"
                        + " --set (or --postgres-url), else the local cluster's PostgreSQL."
            })
    static final class Revenue implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(
                names = "--from",
                required = true,
                paramLabel = "INSTANT",
                description = "First window start included, ISO-8601 (e.g. 2026-11-01T00:00:00Z).")
        String from;

        @Option(
                names = "--to",
                required = true,
                paramLabel = "INSTANT",
                description = "First window start excluded, ISO-8601.")
        String to;

        @Option(names = "--category", paramLabel = "CATEGORY", description = "Only this category.")
        String category;

        @Option(
                names = "--window",
                defaultValue = "1h",
                paramLabel = "1m|1h",
                description =
                        "1h: revenue_1h (hourly rollups); 1m: revenue_1m (minute windows)."
                                + " Default: ${DEFAULT-VALUE}.")
        String window;

        @Option(names = "--sql", description = "Also print the SQL it runs.")
        boolean sql;

        @Mixin ReadModelOptions readModel;

        @Override
        public Integer call() {
            RevenueQuery query = query();
            PostgresConfig config = readModel.resolve();
            PrintWriter out = spec.commandLine().getOut();
            if (sql) {
                out.println(query.describe());
                out.flush();
            }
            String table = table();
            List<RevenueAggregate> rows;
            try (Connection connection = ReadModelOptions.connect(config)) {
                rows = new ReadModelReader(connection).revenue(query);
            } catch (SQLException e) {
                throw ReadModelOptions.failed(config, table, e);
            }
            ResultTables.printRevenue(out, rows, Integer.MAX_VALUE);
            out.printf(
                    "%d row%s from %s at %s%n",
                    rows.size(), rows.size() == 1 ? "" : "s", table, config.url());
            out.flush();
            return 0;
        }

        /** The query the options describe; usage errors naming the option otherwise. */
        RevenueQuery query() {
            Instant start = instant("--from", from);
            Instant end = instant("--to", to);
            if (!start.isBefore(end)) {
                throw CliOptions.invalid(spec, "--from " + start + " must be before --to " + end);
            }
            if (category != null && category.isBlank()) {
                throw CliOptions.invalid(spec, "--category must not be blank");
            }
            return new RevenueQuery(table(), start, end, category);
        }

        private String table() {
            return switch (window) {
                case "1h" -> RevenueTable.HOURS;
                case "1m" -> RevenueTable.MINUTES;
                default ->
                        throw CliOptions.invalid(
                                spec, "--window must be 1m or 1h, got '" + window + "'");
            };
        }

        private Instant instant(String option, String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw CliOptions.invalid(
                        spec,
                        option
                                + " must be an ISO-8601 instant such as 2026-11-01T10:00:00Z, got '"
                                + text
                                + "'");
            }
        }
    }
}
