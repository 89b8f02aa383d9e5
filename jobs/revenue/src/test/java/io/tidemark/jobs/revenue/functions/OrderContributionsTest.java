package io.tidemark.jobs.revenue.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.EnrichedOrderLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class OrderContributionsTest {

    private static EnrichedOrderLine line(String category, int quantity, long price) {
        return EnrichedOrderLine.newBuilder()
                .setProductId("p-" + category)
                .setQuantity(quantity)
                .setUnitPriceMinor(price)
                .setProductFound(category != null)
                .setCategory(category)
                .build();
    }

    private static EnrichedOrder order(boolean customerFound, EnrichedOrderLine... lines) {
        return EnrichedOrder.newBuilder()
                .setOrderId("o-1")
                .setCustomerId("k-1")
                .setEventTime(Instant.parse("2026-11-01T10:00:00Z"))
                .setCurrency("EUR")
                .setCustomerFound(customerFound)
                .setCustomerRegion(customerFound ? "EU" : null)
                .setLines(List.of(lines))
                .build();
    }

    private static List<Contribution> contributions(EnrichedOrder order) {
        List<Contribution> out = new ArrayList<>();
        new OrderContributions()
                .flatMap(
                        order,
                        new Collector<>() {
                            @Override
                            public void collect(Contribution c) {
                                out.add(c);
                            }

                            @Override
                            public void close() {}
                        });
        return out;
    }

    @Test
    void anOrderCountsOncePerGroupItTouches() {
        List<Contribution> out =
                contributions(
                        order(
                                true,
                                line("books", 2, 1999),
                                line("books", 1, 500),
                                line("toys", 3, 100)));

        assertThat(out)
                .extracting(c -> c.category, c -> c.orders, c -> c.units, c -> c.revenueMinor)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("books", 1L, 3L, 4498L),
                        org.assertj.core.groups.Tuple.tuple("toys", 1L, 3L, 300L));
    }

    @Test
    void missingProductAndCustomerCountUnderUnknown() {
        List<Contribution> out = contributions(order(false, line(null, 1, 100)));

        assertThat(out)
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.category).isEqualTo("unknown");
                            assertThat(c.region).isEqualTo("unknown");
                        });
    }

    @Test
    void amountOverflowSaturatesInsteadOfWrappingOrThrowing() {
        // Validation (OrderSpec) keeps such an order out; should one get past it, the job must not
        // fail on it at every restart.
        List<Contribution> out =
                contributions(
                        order(true, line("books", 2, Long.MAX_VALUE / 2 + 1), line("books", 1, 5)));

        assertThat(out)
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.revenueMinor).isEqualTo(Amounts.SATURATED);
                            assertThat(c.units).isEqualTo(3L);
                        });
    }
}
