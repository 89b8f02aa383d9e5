package io.tidemark.common.postgres.tables;

import static io.tidemark.common.postgres.Upserts.setInstant;

import io.tidemark.common.postgres.Upserts;
import io.tidemark.common.schemas.UserSession;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.apache.flink.util.function.SerializableFunction;

/** {@code user_sessions}: one row per session, key {@code session_id} (the Kafka key). */
public final class UserSessionsTable extends AvroTable<UserSession> {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "user_sessions";

    static final List<String> COLUMNS =
            List.of(
                    "session_id",
                    "user_id",
                    "session_start",
                    "session_end",
                    "duration_ms",
                    "events",
                    "page_views",
                    "product_views",
                    "add_to_carts",
                    "checkouts",
                    "products",
                    "converted");

    /**
     * @param key the job's Kafka key of a result
     */
    public UserSessionsTable(SerializableFunction<UserSession, String> key) {
        super(UserSession.class, key);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long eventTime(UserSession row) {
        return row.getStart().toEpochMilli();
    }

    @Override
    public List<String> statements() {
        return List.of(Upserts.upsert(NAME, COLUMNS, List.of("session_id")));
    }

    @Override
    public void addBatch(UserSession s, List<PreparedStatement> statements) throws SQLException {
        PreparedStatement upsert = statements.get(0);
        upsert.setString(1, s.getSessionId());
        upsert.setString(2, s.getUserId());
        setInstant(upsert, 3, s.getStart());
        setInstant(upsert, 4, s.getEnd());
        upsert.setLong(5, s.getDurationMs());
        upsert.setLong(6, s.getEvents());
        upsert.setLong(7, s.getPageViews());
        upsert.setLong(8, s.getProductViews());
        upsert.setLong(9, s.getAddToCarts());
        upsert.setLong(10, s.getCheckouts());
        upsert.setArray(
                11,
                upsert.getConnection()
                        .createArrayOf("text", s.getProducts().toArray(new String[0])));
        upsert.setBoolean(12, s.getConverted());
        upsert.addBatch();
    }
}
