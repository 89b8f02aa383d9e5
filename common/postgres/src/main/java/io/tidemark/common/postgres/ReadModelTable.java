package io.tidemark.common.postgres;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * One result type's place in the read model: the statements that write a result (idempotent upserts
 * keyed like the Kafka output) and how a result binds to them.
 *
 * @param <T> the result type, as written to Kafka
 */
public interface ReadModelTable<T> extends Serializable {

    /** The table's name, e.g. {@code revenue_1m}: uids, metrics and messages use it. */
    String name();

    /** The result's Kafka key: what the table's primary key holds. */
    String key(T row);

    /** The result's event time (epoch ms), stamped on the envelope of a rejected row. */
    long eventTime(T row);

    /** The result as the Kafka output's value bytes, kept in the envelope of a rejected row. */
    byte[] encode(T row);

    /** SQL statements, prepared once per connection and executed in this order per batch. */
    List<String> statements();

    /**
     * Adds {@code row} to the batches of {@code statements} (same order as {@link #statements}).
     */
    void addBatch(T row, List<PreparedStatement> statements) throws SQLException;
}
