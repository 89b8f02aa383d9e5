package io.tidemark.common.postgres;

import java.sql.SQLException;

/**
 * Sorts what PostgreSQL answers into rows it will never accept, whatever the retries (SQLSTATE
 * class 22 data exception, 23 integrity constraint violation: a value too long, a check or foreign
 * key violated), and everything else (connection lost, deadlock, shutdown, a missing table), which
 * a retry or a restart from the checkpoint may cure.
 */
final class SqlErrors {

    private SqlErrors() {}

    /** Whether {@code e}, or an exception chained to it, says the row itself is unacceptable. */
    static boolean isRowError(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            String state = next.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /** The most specific message: a batch error's chained exception says which row and why. */
    static String describe(SQLException e) {
        SQLException cause = e;
        while (cause.getNextException() != null) {
            cause = cause.getNextException();
        }
        return "SQLSTATE " + cause.getSQLState() + ": " + cause.getMessage();
    }
}
