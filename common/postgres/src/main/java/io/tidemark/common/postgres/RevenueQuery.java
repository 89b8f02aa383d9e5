package io.tidemark.common.postgres;

import io.tidemark.common.postgres.tables.RevenueTable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A query of {@code revenue_1m} or {@code revenue_1h}: the windows starting in {@code [from, to)},
 * optionally of one category, in key order. Plain SQL, which {@link #sql} and {@link #describe}
 * show so users can run it themselves.
 */
public final class RevenueQuery {

    private static final String COLUMNS =
            "category, region, currency, window_start, window_end, orders, units, revenue_minor";

    private final String table;
    private final Instant from;
    private final Instant to;
    private final String category;

    /**
     * @param table {@link RevenueTable#MINUTES} or {@link RevenueTable#HOURS}
     * @param from first window start included, or {@code null}
     * @param to first window start excluded, or {@code null}
     * @param category only this category, or {@code null}
     */
    public RevenueQuery(String table, Instant from, Instant to, String category) {
        if (!table.equals(RevenueTable.MINUTES) && !table.equals(RevenueTable.HOURS)) {
            throw new IllegalArgumentException(
                    "revenue table must be " + RevenueTable.MINUTES + " or " + RevenueTable.HOURS);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("--from " + from + " must be before --to " + to);
        }
        this.table = table;
        this.from = from;
        this.to = to;
        this.category = category;
    }

    /** Every row of {@code table}. */
    public static RevenueQuery all(String table) {
        return new RevenueQuery(table, null, null, null);
    }

    /** The statement, with {@code ?} parameters. */
    public String sql() {
        List<String> where = new ArrayList<>();
        if (from != null) {
            where.add("window_start >= ?");
        }
        if (to != null) {
            where.add("window_start < ?");
        }
        if (category != null) {
            where.add("category = ?");
        }
        return "SELECT "
                + COLUMNS
                + " FROM "
                + table
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY window_start, category, region, currency";
    }

    /** The statement with its parameters written in, for {@code --sql}. */
    public String describe() {
        String sql = sql();
        for (Object value : parameters()) {
            String literal =
                    value instanceof Instant i
                            ? "TIMESTAMPTZ '" + i + "'"
                            : "'" + value.toString().replace("'", "''") + "'";
            sql = sql.replaceFirst("\\?", java.util.regex.Matcher.quoteReplacement(literal));
        }
        return sql + ";";
    }

    void bind(PreparedStatement statement) throws SQLException {
        int i = 1;
        for (Object value : parameters()) {
            if (value instanceof Instant instant) {
                Upserts.setInstant(statement, i++, instant);
            } else {
                statement.setString(i++, value.toString());
            }
        }
    }

    private List<Object> parameters() {
        List<Object> values = new ArrayList<>();
        if (from != null) {
            values.add(from);
        }
        if (to != null) {
            values.add(to);
        }
        if (category != null) {
            values.add(category);
        }
        return values;
    }
}
