package io.tidemark.common.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

/** SQL and binding helpers of the read model's upserts. */
public final class Upserts {

    private Upserts() {}

    /**
     * {@code INSERT INTO table (columns) VALUES (?, …) ON CONFLICT (key) DO UPDATE SET c =
     * EXCLUDED.c, …} for every non-key column, skipping the update when nothing changed: a replay
     * writes the same values again, and an unchanged row then costs no new row version.
     */
    public static String upsert(String table, List<String> columns, List<String> key) {
        List<String> values = columns.stream().filter(c -> !key.contains(c)).toList();
        String list = String.join(", ", columns);
        String params = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        String set =
                values.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        String current =
                values.stream().map(c -> table + "." + c).collect(Collectors.joining(", "));
        String incoming =
                values.stream().map(c -> "EXCLUDED." + c).collect(Collectors.joining(", "));
        return "INSERT INTO "
                + table
                + " ("
                + list
                + ") VALUES ("
                + params
                + ") ON CONFLICT ("
                + String.join(", ", key)
                + ") DO UPDATE SET "
                + set
                + " WHERE ("
                + current
                + ") IS DISTINCT FROM ("
                + incoming
                + ")";
    }

    /** Binds an instant to a {@code timestamptz} parameter. */
    public static void setInstant(PreparedStatement statement, int index, Instant instant)
            throws SQLException {
        statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    /** Binds a nullable text. */
    public static void setText(PreparedStatement statement, int index, CharSequence text)
            throws SQLException {
        if (text == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, text.toString());
        }
    }

    /** Binds a nullable bigint. */
    public static void setLong(PreparedStatement statement, int index, Long value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }
}
