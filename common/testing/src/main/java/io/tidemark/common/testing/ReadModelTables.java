package io.tidemark.common.testing;

import io.tidemark.common.postgres.ReadModelReader;
import io.tidemark.common.schemas.AvroJson;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A job's read-model tables in an {@link EmbeddedPostgresExtension}, by the result topic role each
 * mirrors ({@code output}, {@code output-1m}, …), read back as the results the job wrote to Kafka
 * so that a table compares with its topic line for line (canonical JSON).
 */
public final class ReadModelTables {

    /** Reads one table as results. */
    @FunctionalInterface
    public interface Table {
        List<? extends SpecificRecordBase> read(ReadModelReader reader) throws SQLException;
    }

    private final EmbeddedPostgresExtension postgres;
    private final Map<String, Table> byRole;

    /**
     * @param byRole result topic role → how to read its table, e.g. {@code "output-1m" → r ->
     *     r.revenue("revenue_1m")}
     */
    public ReadModelTables(EmbeddedPostgresExtension postgres, Map<String, Table> byRole) {
        this.postgres = postgres;
        this.byRole = Map.copyOf(byRole);
    }

    /**
     * The job settings that write these tables: the server's URL and user, and small batches so
     * that runs flush on batch size between barriers too, not only before them.
     */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>(postgres.sinkSettings());
        settings.put("sink.postgres.batch-size", "64");
        return settings;
    }

    /** Empties the database (tables and schema history): the next job migrates from nothing. */
    public void reset() throws SQLException {
        postgres.reset();
    }

    /** Role → the table's rows as canonical result lines, sorted. */
    public Map<String, List<String>> canonicalLines() throws SQLException {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        try (Connection connection = postgres.connect()) {
            ReadModelReader reader = new ReadModelReader(connection);
            for (Map.Entry<String, Table> e : byRole.entrySet()) {
                lines.put(e.getKey(), canonical(e.getValue().read(reader)));
            }
        }
        return lines;
    }

    /**
     * What differs between each table and its topic's committed lines (canonical, last per key),
     * one entry per table that differs; empty when every table equals its topic.
     */
    public List<String> differences(Map<String, List<String>> committedByRole) throws SQLException {
        List<String> problems = new ArrayList<>();
        canonicalLines()
                .forEach(
                        (role, rows) -> {
                            List<String> committed =
                                    sorted(committedByRole.getOrDefault(role, List.of()));
                            if (!rows.equals(committed)) {
                                problems.add(
                                        "table of "
                                                + role
                                                + " ("
                                                + rows.size()
                                                + " rows) differs from the topic ("
                                                + committed.size()
                                                + " records): "
                                                + firstDifference(committed, rows));
                            }
                        });
        return problems;
    }

    /** Results as canonical JSON lines, sorted. */
    public static List<String> canonical(List<? extends SpecificRecordBase> records) {
        return sorted(records.stream().map(r -> AvroJson.canonical(AvroJson.toJson(r))).toList());
    }

    private static List<String> sorted(List<String> lines) {
        List<String> copy = new ArrayList<>(lines);
        copy.sort(null);
        return copy;
    }

    private static String firstDifference(List<String> topic, List<String> table) {
        List<String> missing = new ArrayList<>(topic);
        missing.removeAll(table);
        List<String> extra = new ArrayList<>(table);
        extra.removeAll(topic);
        return "in the topic, not the table: "
                + missing.stream().limit(3).toList()
                + "; in the table, not the topic: "
                + extra.stream().limit(3).toList();
    }
}
