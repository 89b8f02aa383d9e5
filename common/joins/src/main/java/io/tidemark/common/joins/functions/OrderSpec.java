package io.tidemark.common.joins.functions;

import io.tidemark.common.runtime.record.RecordSpec;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;

/** Orders: event time from the payload; ids, currency and at least one positive line required. */
public final class OrderSpec implements RecordSpec<Order> {

    private static final long serialVersionUID = 1L;

    @Override
    public Class<Order> type() {
        return Order.class;
    }

    @Override
    public Long eventTime(Order order) {
        return order.getEventTime() == null ? null : order.getEventTime().toEpochMilli();
    }

    @Override
    public String invalidFieldMessage(Order order) {
        if (order.getOrderId().isEmpty()) {
            return "orderId is empty";
        }
        if (order.getCustomerId().isEmpty()) {
            return "customerId is empty";
        }
        if (!order.getCurrency().matches("[A-Z]{3}")) {
            return "currency '" + order.getCurrency() + "' is not an ISO 4217 code";
        }
        if (order.getLines().isEmpty()) {
            return "order has no lines";
        }
        long total = 0;
        for (int i = 0; i < order.getLines().size(); i++) {
            OrderLine line = order.getLines().get(i);
            if (line.getProductId().isEmpty()) {
                return "lines[" + i + "].productId is empty";
            }
            if (line.getQuantity() <= 0) {
                return "lines[" + i + "].quantity must be > 0, was " + line.getQuantity();
            }
            if (line.getUnitPriceMinor() < 0) {
                return "lines["
                        + i
                        + "].unitPriceMinor must be >= 0, was "
                        + line.getUnitPriceMinor();
            }
            try {
                // Amounts are exact integers downstream; an order whose total cannot be one is bad
                // input, not a reason to fail the job that sums it.
                total =
                        Math.addExact(
                                total,
                                Math.multiplyExact(
                                        (long) line.getQuantity(), line.getUnitPriceMinor()));
            } catch (ArithmeticException e) {
                return "order total overflows a 64-bit amount at lines[" + i + "]";
            }
        }
        return null;
    }
}
