package io.tidemark.cli;

import io.tidemark.common.local.postgres.LocalPostgres;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.postgres.PostgresConfig;
import io.tidemark.common.postgres.PostgresOptions;
import io.tidemark.common.postgres.ReadModelReader;
import io.tidemark.common.postgres.RevenueQuery;
import io.tidemark.common.postgres.tables.RevenueTable;
import io.tidemark.common.schemas.AvroJson;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The demo's PostgreSQL read model ({@code tidemark demo --postgres}): one local server for the
 * run, a fresh database per scenario so that each scenario's tables hold exactly what that
 * scenario's job wrote, the tables compared with what the job committed to Kafka, and the revenue
 * table read back.
 */
final class DemoReadModel implements AutoCloseable {

    private final LocalPostgres server;

    private DemoReadModel(LocalPostgres server) {
        this.server = server;
    }

    static DemoReadModel start() {
        return new DemoReadModel(LocalPostgres.start());
    }

    /** {@code jdbc:postgresql://localhost:<port>/}. */
    String serverUrl() {
        return "jdbc:postgresql://localhost:" + server.port() + "/";
    }

    /** A new empty database for one scenario; the job migrates it when it starts. */
    PostgresConfig createDatabase(String job, String scenario) throws SQLException {
        String name = (job + "_" + scenario).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        name = name.substring(0, Math.min(name.length(), 63));
        try (Connection connection = ReadModelOptions.connect(admin());
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true); // CREATE DATABASE cannot run in a transaction
            statement.execute("CREATE DATABASE \"" + name + "\"");
        }
        return PostgresConfig.forUrl(serverUrl() + name, LocalPostgres.USER);
    }

    private PostgresConfig admin() {
        return PostgresConfig.forUrl(server.jdbcUrl(), LocalPostgres.USER);
    }

    /** The job settings that write the read model into {@code database}. */
    static Map<String, String> settings(PostgresConfig database) {
        return Map.of(
                PostgresOptions.URL.key(), database.url(),
                PostgresOptions.USER.key(), database.user());
    }

    /**
     * Whether each table equals what the job committed to its topic (canonical JSON, the last
     * record per key), as a short phrase for the scenario's line.
     */
    static String compare(String job, PostgresConfig database, ReplayResult result)
            throws SQLException {
        Map<String, List<String>> tables;
        try (Connection connection = ReadModelOptions.connect(database)) {
            tables = tables(job, new ReadModelReader(connection));
        }
        if (tables.isEmpty()) {
            return "(no read model)";
        }
        for (Map.Entry<String, List<String>> table : tables.entrySet()) {
            List<String> committed =
                    sorted(result.outputs().getOrDefault(table.getKey(), List.of()));
            if (!table.getValue().equals(committed)) {
                return "read model DIFFERS from "
                        + table.getKey()
                        + " ("
                        + table.getValue().size()
                        + " rows, "
                        + committed.size()
                        + " committed)";
            }
        }
        return "read model = committed";
    }

    static boolean hasRevenue(String job) {
        return job.equals("revenue");
    }

    /** {@code revenue_1h} of {@code database} as the demo's rows, after the SQL that read it. */
    static void printRevenue(PrintWriter out, PostgresConfig database, int maxRows)
            throws SQLException {
        RevenueQuery query = RevenueQuery.all(RevenueTable.HOURS);
        out.printf("  %s%n", query.describe());
        try (Connection connection = ReadModelOptions.connect(database)) {
            ResultTables.printRevenue(out, new ReadModelReader(connection).revenue(query), maxRows);
        }
    }

    /** Result role → the rows of the table the job writes for it, as sorted canonical lines. */
    private static Map<String, List<String>> tables(String job, ReadModelReader reader)
            throws SQLException {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        switch (job) {
            case "sessionization" -> tables.put("output", canonical(reader.sessions()));
            case "enrichment" -> tables.put("output", canonical(reader.orders()));
            case "revenue" -> {
                tables.put("output-1m", canonical(reader.revenue(RevenueTable.MINUTES)));
                tables.put("output-1h", canonical(reader.revenue(RevenueTable.HOURS)));
            }
            default -> {
                // a job without a read model
            }
        }
        return tables;
    }

    private static List<String> canonical(List<? extends SpecificRecordBase> rows) {
        return sorted(rows.stream().map(r -> AvroJson.canonical(AvroJson.toJson(r))).toList());
    }

    private static List<String> sorted(List<String> lines) {
        List<String> copy = new ArrayList<>(lines);
        copy.sort(null);
        return copy;
    }

    @Override
    public void close() {
        server.close();
    }
}
