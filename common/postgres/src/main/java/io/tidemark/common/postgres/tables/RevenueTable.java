package io.tidemark.common.postgres.tables;

import static io.tidemark.common.postgres.Upserts.setInstant;

import io.tidemark.common.postgres.Upserts;
import io.tidemark.common.schemas.RevenueAggregate;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.apache.flink.util.function.SerializableFunction;

/**
 * {@code revenue_1m} and {@code revenue_1h}: one row per (category, region, currency, window
 * start), the parts of the Kafka key {@code category|region|currency|windowStart}.
 */
public final class RevenueTable extends AvroTable<RevenueAggregate> {

    private static final long serialVersionUID = 1L;

    public static final String MINUTES = "revenue_1m";
    public static final String HOURS = "revenue_1h";

    static final List<String> KEY = List.of("category", "region", "currency", "window_start");

    static final List<String> COLUMNS =
            List.of(
                    "category",
                    "region",
                    "currency",
                    "window_start",
                    "window_end",
                    "orders",
                    "units",
                    "revenue_minor");

    private final String name;

    private RevenueTable(String name, SerializableFunction<RevenueAggregate, String> key) {
        super(RevenueAggregate.class, key);
        this.name = name;
    }

    /** {@code revenue_1m}, the job's window output, keyed like its Kafka topic. */
    public static RevenueTable minutes(SerializableFunction<RevenueAggregate, String> key) {
        return new RevenueTable(MINUTES, key);
    }

    /** {@code revenue_1h}, the job's rollup output, keyed like its Kafka topic. */
    public static RevenueTable hours(SerializableFunction<RevenueAggregate, String> key) {
        return new RevenueTable(HOURS, key);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long eventTime(RevenueAggregate row) {
        return row.getWindowStart().toEpochMilli();
    }

    @Override
    public List<String> statements() {
        return List.of(Upserts.upsert(name, COLUMNS, KEY));
    }

    @Override
    public void addBatch(RevenueAggregate a, List<PreparedStatement> statements)
            throws SQLException {
        PreparedStatement upsert = statements.get(0);
        upsert.setString(1, a.getCategory());
        upsert.setString(2, a.getRegion());
        upsert.setString(3, a.getCurrency());
        setInstant(upsert, 4, a.getWindowStart());
        setInstant(upsert, 5, a.getWindowEnd());
        upsert.setLong(6, a.getOrders());
        upsert.setLong(7, a.getUnits());
        upsert.setLong(8, a.getRevenueMinor());
        upsert.addBatch();
    }
}
