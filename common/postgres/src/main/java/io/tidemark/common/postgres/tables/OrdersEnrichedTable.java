package io.tidemark.common.postgres.tables;

import static io.tidemark.common.postgres.Upserts.setInstant;
import static io.tidemark.common.postgres.Upserts.setLong;
import static io.tidemark.common.postgres.Upserts.setText;

import io.tidemark.common.postgres.Upserts;
import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.EnrichedOrderLine;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.apache.flink.util.function.SerializableFunction;

/**
 * {@code orders_enriched}, key {@code order_id} (the Kafka key), and its lines in {@code
 * order_lines}, key {@code (order_id, line_no)} with {@code line_no} the line's position in the
 * order. An order and its lines are written together: the order first (the lines refer to it), then
 * lines beyond the order's count are deleted, then its lines are upserted.
 */
public final class OrdersEnrichedTable extends AvroTable<EnrichedOrder> {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "orders_enriched";
    public static final String LINES = "order_lines";

    static final List<String> ORDER_COLUMNS =
            List.of(
                    "order_id",
                    "customer_id",
                    "event_time",
                    "currency",
                    "customer_found",
                    "customer_segment",
                    "customer_region",
                    "customer_version_ts_ms",
                    "line_count");

    static final List<String> LINE_COLUMNS =
            List.of(
                    "order_id",
                    "line_no",
                    "product_id",
                    "quantity",
                    "unit_price_minor",
                    "product_found",
                    "product_name",
                    "category",
                    "list_price_minor",
                    "product_version_ts_ms");

    /**
     * @param key the job's Kafka key of a result
     */
    public OrdersEnrichedTable(SerializableFunction<EnrichedOrder, String> key) {
        super(EnrichedOrder.class, key);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long eventTime(EnrichedOrder row) {
        return row.getEventTime().toEpochMilli();
    }

    @Override
    public List<String> statements() {
        return List.of(
                Upserts.upsert(NAME, ORDER_COLUMNS, List.of("order_id")),
                "DELETE FROM " + LINES + " WHERE order_id = ? AND line_no >= ?",
                Upserts.upsert(LINES, LINE_COLUMNS, List.of("order_id", "line_no")));
    }

    @Override
    public void addBatch(EnrichedOrder o, List<PreparedStatement> statements) throws SQLException {
        PreparedStatement order = statements.get(0);
        order.setString(1, o.getOrderId());
        order.setString(2, o.getCustomerId());
        setInstant(order, 3, o.getEventTime());
        order.setString(4, o.getCurrency());
        order.setBoolean(5, o.getCustomerFound());
        setText(order, 6, o.getCustomerSegment());
        setText(order, 7, o.getCustomerRegion());
        setLong(order, 8, o.getCustomerVersionTsMs());
        order.setInt(9, o.getLines().size());
        order.addBatch();

        PreparedStatement surplus = statements.get(1);
        surplus.setString(1, o.getOrderId());
        surplus.setInt(2, o.getLines().size());
        surplus.addBatch();

        PreparedStatement line = statements.get(2);
        List<EnrichedOrderLine> lines = o.getLines();
        for (int i = 0; i < lines.size(); i++) {
            EnrichedOrderLine l = lines.get(i);
            line.setString(1, o.getOrderId());
            line.setInt(2, i);
            line.setString(3, l.getProductId());
            line.setInt(4, l.getQuantity());
            line.setLong(5, l.getUnitPriceMinor());
            line.setBoolean(6, l.getProductFound());
            setText(line, 7, l.getProductName());
            setText(line, 8, l.getCategory());
            setLong(line, 9, l.getListPriceMinor());
            setLong(line, 10, l.getProductVersionTsMs());
            line.addBatch();
        }
    }
}
