package io.tidemark.common.postgres;

import io.tidemark.common.postgres.tables.OrdersEnrichedTable;
import io.tidemark.common.postgres.tables.RevenueTable;
import io.tidemark.common.postgres.tables.UserSessionsTable;
import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.EnrichedOrderLine;
import io.tidemark.common.schemas.RevenueAggregate;
import io.tidemark.common.schemas.UserSession;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the read model back as the results the jobs wrote to Kafka, so a table can be compared with
 * its topic record for record, and the CLI can print it. Rows come in primary-key order.
 */
public final class ReadModelReader {

    private final Connection connection;

    public ReadModelReader(Connection connection) {
        this.connection = connection;
    }

    public List<UserSession> sessions() throws SQLException {
        List<UserSession> out = new ArrayList<>();
        try (PreparedStatement s =
                        connection.prepareStatement(
                                "SELECT session_id, user_id, session_start, session_end,"
                                        + " duration_ms, events, page_views, product_views,"
                                        + " add_to_carts, checkouts, products, converted FROM "
                                        + UserSessionsTable.NAME
                                        + " ORDER BY session_id");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Array products = r.getArray(11);
                out.add(
                        UserSession.newBuilder()
                                .setSessionId(r.getString(1))
                                .setUserId(r.getString(2))
                                .setStart(instant(r, 3))
                                .setEnd(instant(r, 4))
                                .setDurationMs(r.getLong(5))
                                .setEvents(r.getLong(6))
                                .setPageViews(r.getLong(7))
                                .setProductViews(r.getLong(8))
                                .setAddToCarts(r.getLong(9))
                                .setCheckouts(r.getLong(10))
                                .setProducts(Arrays.asList((String[]) products.getArray()))
                                .setConverted(r.getBoolean(12))
                                .build());
            }
        }
        return out;
    }

    public List<EnrichedOrder> orders() throws SQLException {
        Map<String, List<EnrichedOrderLine>> lines = new LinkedHashMap<>();
        try (PreparedStatement s =
                        connection.prepareStatement(
                                "SELECT order_id, product_id, quantity, unit_price_minor,"
                                        + " product_found, product_name, category,"
                                        + " list_price_minor, product_version_ts_ms FROM "
                                        + OrdersEnrichedTable.LINES
                                        + " ORDER BY order_id, line_no");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                lines.computeIfAbsent(r.getString(1), id -> new ArrayList<>())
                        .add(
                                EnrichedOrderLine.newBuilder()
                                        .setProductId(r.getString(2))
                                        .setQuantity(r.getInt(3))
                                        .setUnitPriceMinor(r.getLong(4))
                                        .setProductFound(r.getBoolean(5))
                                        .setProductName(r.getString(6))
                                        .setCategory(r.getString(7))
                                        .setListPriceMinor(nullableLong(r, 8))
                                        .setProductVersionTsMs(nullableLong(r, 9))
                                        .build());
            }
        }
        List<EnrichedOrder> out = new ArrayList<>();
        try (PreparedStatement s =
                        connection.prepareStatement(
                                "SELECT order_id, customer_id, event_time, currency,"
                                        + " customer_found, customer_segment, customer_region,"
                                        + " customer_version_ts_ms FROM "
                                        + OrdersEnrichedTable.NAME
                                        + " ORDER BY order_id");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(
                        EnrichedOrder.newBuilder()
                                .setOrderId(r.getString(1))
                                .setCustomerId(r.getString(2))
                                .setEventTime(instant(r, 3))
                                .setCurrency(r.getString(4))
                                .setCustomerFound(r.getBoolean(5))
                                .setCustomerSegment(r.getString(6))
                                .setCustomerRegion(r.getString(7))
                                .setCustomerVersionTsMs(nullableLong(r, 8))
                                .setLines(lines.getOrDefault(r.getString(1), List.of()))
                                .build());
            }
        }
        return out;
    }

    /** All of {@code revenue_1m} or {@code revenue_1h} ({@link RevenueTable#MINUTES}, …). */
    public List<RevenueAggregate> revenue(String table) throws SQLException {
        return revenue(RevenueQuery.all(table));
    }

    /** The rows a revenue query selects. */
    public List<RevenueAggregate> revenue(RevenueQuery query) throws SQLException {
        List<RevenueAggregate> out = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(query.sql())) {
            query.bind(s);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(
                            RevenueAggregate.newBuilder()
                                    .setCategory(r.getString(1))
                                    .setRegion(r.getString(2))
                                    .setCurrency(r.getString(3))
                                    .setWindowStart(instant(r, 4))
                                    .setWindowEnd(instant(r, 5))
                                    .setOrders(r.getLong(6))
                                    .setUnits(r.getLong(7))
                                    .setRevenueMinor(r.getLong(8))
                                    .build());
                }
            }
        }
        return out;
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        return r.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static Long nullableLong(ResultSet r, int column) throws SQLException {
        long value = r.getLong(column);
        return r.wasNull() ? null : value;
    }
}
