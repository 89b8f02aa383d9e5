package io.tidemark.common.joins.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.record.Rejection;
import io.tidemark.common.schemas.ChangeOp;
import io.tidemark.common.schemas.Customer;
import io.tidemark.common.schemas.CustomerChange;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;
import io.tidemark.common.schemas.Product;
import io.tidemark.common.schemas.ProductChange;
import io.tidemark.common.schemas.ReasonCode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordSpecsTest {

    private static Order order(String currency, OrderLine... lines) {
        return Order.newBuilder()
                .setOrderId("o-1")
                .setCustomerId("k-1")
                .setEventTime(Instant.parse("2026-11-01T10:00:00Z"))
                .setCurrency(currency)
                .setLines(List.of(lines))
                .build();
    }

    private final OrderSpec orders = new OrderSpec();

    @Test
    void validOrderPasses() {
        assertThat(orders.invalidFieldMessage(order("EUR", new OrderLine("p-1", 2, 1999L))))
                .isNull();
    }

    @Test
    void orderFieldRulesNameTheField() {
        assertThat(orders.invalidFieldMessage(order("EUR"))).isEqualTo("order has no lines");
        assertThat(orders.invalidFieldMessage(order("eur", new OrderLine("p-1", 1, 1L))))
                .contains("currency 'eur'");
        assertThat(orders.invalidFieldMessage(order("EUR", new OrderLine("p-1", 0, 1L))))
                .contains("lines[0].quantity");
        assertThat(orders.invalidFieldMessage(order("EUR", new OrderLine("", 1, 1L))))
                .contains("lines[0].productId");
        assertThat(orders.invalidFieldMessage(order("EUR", new OrderLine("p-1", 1, -1L))))
                .contains("lines[0].unitPriceMinor");
    }

    @Test
    void validOrderPassesEveryCheck() {
        assertThat(orders.rejection(order("EUR", new OrderLine("p-1", 2, 1999L)))).isNull();
    }

    @Test
    void orderWhoseTotalWouldOverflowALongIsAmountOverflowNotAJobFailure() {
        // Each line fits in a long, their sum does not: before the bounds this order was valid and
        // two of them in one window made the revenue sum throw on every restart.
        Rejection r =
                orders.rejection(
                        order(
                                "EUR",
                                new OrderLine("p-1", 2, Long.MAX_VALUE / 2),
                                new OrderLine("p-2", 1, 2L)));
        assertThat(r.reason()).isEqualTo(ReasonCode.AMOUNT_OVERFLOW);
        assertThat(r.message()).contains("lines[0].unitPriceMinor");
        assertThat(
                        orders.invalidFieldMessage(
                                order("EUR", new OrderLine("p-1", 2, Long.MAX_VALUE / 2))))
                .as("not a field error")
                .isNull();
    }

    @Test
    void everyAmountBoundIsInclusiveAndOneMoreIsAmountOverflow() {
        long maxAmount = OrderSpec.MAX_AMOUNT_MINOR;
        int maxQuantity = OrderSpec.MAX_LINE_QUANTITY;
        // at the bounds: accepted
        assertThat(orders.rejection(order("EUR", new OrderLine("p-1", 1, maxAmount)))).isNull();
        assertThat(orders.rejection(order("EUR", new OrderLine("p-1", maxQuantity, 1_000_000L))))
                .isNull();
        assertThat(
                        orders.rejection(
                                order(
                                        "EUR",
                                        new OrderLine("p-1", 1, maxAmount / 2),
                                        new OrderLine("p-2", 1, maxAmount / 2))))
                .isNull();
        // one more: AMOUNT_OVERFLOW, naming the bound
        assertOverflow(
                order("EUR", new OrderLine("p-1", maxQuantity + 1, 0L)),
                "lines[0].quantity 1000001 exceeds the bound 1000000");
        assertOverflow(
                order("EUR", new OrderLine("p-1", 1, OrderSpec.MAX_UNIT_PRICE_MINOR + 1)),
                "lines[0].unitPriceMinor 1000000000001 exceeds the bound 1000000000000");
        assertOverflow(
                order(
                        "EUR",
                        new OrderLine("p-1", 1, 1L),
                        new OrderLine("p-2", 2, maxAmount / 2 + 1)),
                "lines[1] amount 2 × 500000000001 = 1000000000002 exceeds the bound");
        assertOverflow(
                order(
                        "EUR",
                        new OrderLine("p-1", 1, maxAmount / 2),
                        new OrderLine("p-2", 1, maxAmount / 2 + 1)),
                "order amount exceeds the bound 1000000000000 at lines[1]");
        OrderLine[] manyUnits = new OrderLine[1001];
        for (int i = 0; i < manyUnits.length; i++) {
            manyUnits[i] = new OrderLine("p-" + i, maxQuantity, 0L);
        }
        assertOverflow(
                order("EUR", manyUnits), "order units exceed the bound 1000000000 at lines[1000]");
    }

    @Test
    void boundsLeaveMillionsOfMaximumOrdersPerWindowBeforeALongCouldOverflow() {
        assertThat(Long.MAX_VALUE / OrderSpec.MAX_AMOUNT_MINOR).isGreaterThan(9_000_000L);
        assertThat(Long.MAX_VALUE / OrderSpec.MAX_ORDER_UNITS).isGreaterThan(9_000_000_000L);
        assertThat((long) OrderSpec.MAX_LINE_QUANTITY * OrderSpec.MAX_UNIT_PRICE_MINOR)
                .as("checking a line cannot overflow")
                .isLessThan(Long.MAX_VALUE / 2);
    }

    @Test
    void fieldErrorsTakePrecedenceOverAmounts() {
        Order both =
                Order.newBuilder(order("EUR", new OrderLine("p-1", 1, Long.MAX_VALUE)))
                        .setCustomerId("")
                        .build();
        assertThat(orders.rejection(both).reason()).isEqualTo(ReasonCode.INVALID_FIELD);
        assertThat(orders.rejection(order("EUR", new OrderLine("p-1", 0, Long.MAX_VALUE))))
                .isEqualTo(Rejection.invalidField("lines[0].quantity must be > 0, was 0"));
    }

    private void assertOverflow(Order order, String message) {
        Rejection r = orders.rejection(order);
        assertThat(r).as(message).isNotNull();
        assertThat(r.reason()).isEqualTo(ReasonCode.AMOUNT_OVERFLOW);
        assertThat(r.message()).contains(message);
    }

    @Test
    void changeImageMustFitItsOp() {
        Product product = new Product("p-1", "Atlas", "books", 2100L);
        ProductChangeSpec spec = new ProductChangeSpec();
        assertThat(spec.invalidFieldMessage(new ProductChange(ChangeOp.u, null, product, 1L)))
                .isNull();
        assertThat(spec.invalidFieldMessage(new ProductChange(ChangeOp.c, product, null, 1L)))
                .contains("needs an 'after' image");
        assertThat(spec.invalidFieldMessage(new ProductChange(ChangeOp.d, null, null, 1L)))
                .contains("needs a 'before' image");
        assertThat(ProductChangeSpec.productId(new ProductChange(ChangeOp.d, product, null, 1L)))
                .isEqualTo("p-1");

        Customer customer = new Customer("", "gold", "EU");
        assertThat(
                        new CustomerChangeSpec()
                                .invalidFieldMessage(
                                        new CustomerChange(ChangeOp.r, null, customer, 1L)))
                .isEqualTo("customerId is empty");
    }

    @Test
    void changeEventTimeIsTsMs() {
        assertThat(
                        new ProductChangeSpec()
                                .eventTime(new ProductChange(ChangeOp.r, null, null, 42L)))
                .isEqualTo(42L);
        assertThat(
                        new ProductChangeSpec()
                                .eventTime(new ProductChange(ChangeOp.r, null, null, null)))
                .isNull();
    }
}
