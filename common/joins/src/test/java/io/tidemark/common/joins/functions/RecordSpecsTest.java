package io.tidemark.common.joins.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.schemas.ChangeOp;
import io.tidemark.common.schemas.Customer;
import io.tidemark.common.schemas.CustomerChange;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;
import io.tidemark.common.schemas.Product;
import io.tidemark.common.schemas.ProductChange;
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
    void orderWhoseTotalOverflowsIsInvalidNotAJobFailure() {
        assertThat(
                        orders.invalidFieldMessage(
                                order(
                                        "EUR",
                                        new OrderLine("p-1", 2, Long.MAX_VALUE / 2),
                                        new OrderLine("p-2", 1, 2L))))
                .contains("overflows")
                .contains("lines[1]");
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
