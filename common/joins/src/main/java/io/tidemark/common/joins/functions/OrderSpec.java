package io.tidemark.common.joins.functions;

import io.tidemark.common.runtime.record.RecordSpec;
import io.tidemark.common.runtime.record.Rejection;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;
import io.tidemark.common.schemas.ReasonCode;

/**
 * Orders: event time from the payload; ids, currency and at least one positive line required
 * ({@code INVALID_FIELD}), and amounts within the bounds below ({@code AMOUNT_OVERFLOW}).
 *
 * <h2>Amount bounds</h2>
 *
 * Every sum downstream (revenue per group and window, its rollup) is a {@code long} of minor units.
 * An order is accepted only when
 *
 * <ul>
 *   <li>every line's {@code quantity} is at most {@link #MAX_LINE_QUANTITY} (10<sup>6</sup>) and
 *       the order's units together at most {@link #MAX_ORDER_UNITS} (10<sup>9</sup>);
 *   <li>every line's {@code unitPriceMinor} is at most {@link #MAX_UNIT_PRICE_MINOR}
 *       (10<sup>12</sup>);
 *   <li>every line's amount {@code quantity × unitPriceMinor} and the order's amount (the sum of
 *       its lines) are at most {@link #MAX_AMOUNT_MINOR} (10<sup>12</sup>, ten billion in a
 *       currency with two decimals).
 * </ul>
 *
 * The arithmetic: checking a line computes {@code quantity × unitPriceMinor ≤ 10^6 × 10^12 = 10^18
 * < 2^63 − 1 ≈ 9.22 × 10^18} only after both factors passed their bounds, and the running order
 * amount stops at the first line that takes it past 10<sup>12</sup>, so validation itself cannot
 * overflow. Downstream, one order adds 1 to a group's {@code orders}, at most 10<sup>9</sup> to its
 * {@code units} and at most 10<sup>12</sup> to its {@code revenueMinor}; a window's {@code long}
 * sums overflow only after more than 9.2 million orders at the maximum amount (9.2 ×
 * 10<sup>18</sup> minor units: 9.2 × 10<sup>16</sup> in a currency with two decimals, hundreds of
 * times the world's yearly output in dollars) or 9.2 billion orders at the maximum units in one
 * (category, region, currency) window. The revenue job still adds with saturating arithmetic as a
 * last line of defence, so a sum can never throw into a restart loop.
 *
 * <p>The decision depends on the record alone, so the same order is judged the same way in every
 * run. Field errors take precedence: an order with an empty id and a huge price is {@code
 * INVALID_FIELD}.
 */
public final class OrderSpec implements RecordSpec<Order> {

    private static final long serialVersionUID = 1L;

    /** Largest quantity of one line. */
    public static final int MAX_LINE_QUANTITY = 1_000_000;

    /** Largest number of units of one order (all lines together). */
    public static final long MAX_ORDER_UNITS = 1_000_000_000L;

    /** Largest unit price, in minor units. */
    public static final long MAX_UNIT_PRICE_MINOR = 1_000_000_000_000L;

    /** Largest amount of one line and of one order, in minor units. */
    public static final long MAX_AMOUNT_MINOR = 1_000_000_000_000L;

    @Override
    public Class<Order> type() {
        return Order.class;
    }

    @Override
    public Long eventTime(Order order) {
        return order.getEventTime() == null ? null : order.getEventTime().toEpochMilli();
    }

    @Override
    public Rejection rejection(Order order) {
        String invalid = invalidFieldMessage(order);
        if (invalid != null) {
            return Rejection.invalidField(invalid);
        }
        String overflow = amountOverflowMessage(order);
        return overflow == null ? null : new Rejection(ReasonCode.AMOUNT_OVERFLOW, overflow);
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
        }
        return null;
    }

    /**
     * Null when the order's amounts are within the bounds, else which bound it exceeds. Only for an
     * order that passed {@link #invalidFieldMessage} (quantities positive, prices not negative).
     */
    public static String amountOverflowMessage(Order order) {
        long units = 0;
        long amount = 0;
        for (int i = 0; i < order.getLines().size(); i++) {
            OrderLine line = order.getLines().get(i);
            if (line.getQuantity() > MAX_LINE_QUANTITY) {
                return "lines["
                        + i
                        + "].quantity "
                        + line.getQuantity()
                        + " exceeds the bound "
                        + MAX_LINE_QUANTITY;
            }
            if (line.getUnitPriceMinor() > MAX_UNIT_PRICE_MINOR) {
                return "lines["
                        + i
                        + "].unitPriceMinor "
                        + line.getUnitPriceMinor()
                        + " exceeds the bound "
                        + MAX_UNIT_PRICE_MINOR;
            }
            // Both factors are bounded: at most 10^6 × 10^12 = 10^18, which fits in a long.
            long lineAmount = line.getQuantity() * line.getUnitPriceMinor();
            if (lineAmount > MAX_AMOUNT_MINOR) {
                return "lines["
                        + i
                        + "] amount "
                        + line.getQuantity()
                        + " × "
                        + line.getUnitPriceMinor()
                        + " = "
                        + lineAmount
                        + " exceeds the bound "
                        + MAX_AMOUNT_MINOR;
            }
            // Both running sums stay below 2 × their bound: each step checks before the next.
            units += line.getQuantity();
            if (units > MAX_ORDER_UNITS) {
                return "order units exceed the bound " + MAX_ORDER_UNITS + " at lines[" + i + "]";
            }
            amount += lineAmount;
            if (amount > MAX_AMOUNT_MINOR) {
                return "order amount exceeds the bound "
                        + MAX_AMOUNT_MINOR
                        + " at lines["
                        + i
                        + "]";
            }
        }
        return null;
    }
}
