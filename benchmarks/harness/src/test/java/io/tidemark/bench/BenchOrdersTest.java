package io.tidemark.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.joins.functions.OrderSpec;
import io.tidemark.common.schemas.ChangeOp;
import io.tidemark.common.schemas.CustomerChange;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.ProductChange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchOrdersTest {

    private static List<BenchOrders.Generated> generate(long orders, long seed) {
        return new BenchOrders(orders, 1_000, seed).toList();
    }

    private static List<BenchOrders.Generated> of(
            List<BenchOrders.Generated> all, BenchOrders.Stream stream) {
        return all.stream().filter(g -> g.stream() == stream).toList();
    }

    @Test
    void sameSeedGivesTheSameRecordsAndFewerOrdersAPrefix() {
        List<BenchOrders.Generated> full = generate(20_000, 42);
        assertThat(generate(20_000, 42)).isEqualTo(full);
        List<BenchOrders.Generated> small = generate(5_000, 42);
        assertThat(full.subList(0, small.size())).isEqualTo(small);
        assertThat(generate(5_000, 43)).isNotEqualTo(small);
    }

    @Test
    void ordersHaveTheAdvertisedRateDisorderAndLatenessAndPassValidation() {
        List<BenchOrders.Generated> all = generate(200_000, 42);
        List<BenchOrders.Generated> orders = of(all, BenchOrders.Stream.ORDERS);
        assertThat(orders).hasSize(200_000);
        long span = orders.get(orders.size() - 1).timestamp() - orders.get(0).timestamp();
        assertThat(orders.size() / (span / 1000.0)).isBetween(9_500.0, 10_500.0);

        OrderSpec spec = new OrderSpec();
        long disordered = 0;
        long late = 0;
        long previous = Long.MIN_VALUE;
        for (BenchOrders.Generated g : all) {
            assertThat(g.timestamp()).isGreaterThanOrEqualTo(previous); // stream order
            previous = g.timestamp();
        }
        for (BenchOrders.Generated g : orders) {
            Order order = (Order) g.value();
            assertThat(g.key()).isEqualTo(order.getOrderId());
            assertThat(spec.rejection(order)).isNull();
            assertThat(order.getLines()).hasSizeBetween(1, 4);
            assertThat(order.getEventTime().toEpochMilli())
                    .isGreaterThanOrEqualTo(BenchOrders.START.toEpochMilli());
            long behind = g.timestamp() - order.getEventTime().toEpochMilli();
            assertThat(behind).isBetween(0L, 60_000L);
            if (behind >= 5_000) {
                late++;
            } else if (behind > 0) {
                disordered++;
            }
        }
        assertThat(late / (double) orders.size()).isBetween(0.008, 0.012);
        assertThat(disordered / (double) orders.size()).isBetween(0.045, 0.055);
    }

    @Test
    void changelogsAreASnapshotThenATrickleOfUpdatesInEventTimeOrder() {
        List<BenchOrders.Generated> all = generate(100_000, 7);
        List<BenchOrders.Generated> products = of(all, BenchOrders.Stream.PRODUCTS);
        List<BenchOrders.Generated> customers = of(all, BenchOrders.Stream.CUSTOMERS);
        long start = BenchOrders.START.toEpochMilli();
        // 10 s of orders: an update of each every 200 ms after the snapshot
        assertThat(products).hasSize(BenchOrders.PRODUCTS + 50);
        assertThat(customers).hasSize(1_000 + 50);
        Map<ChangeOp, Long> ops = new HashMap<>();
        for (BenchOrders.Generated g : products) {
            ProductChange change = (ProductChange) g.value();
            ops.merge(change.getOp(), 1L, Long::sum);
            assertThat(change.getTsMs()).isEqualTo(g.timestamp());
            assertThat(g.key()).isEqualTo(change.getAfter().getProductId());
            if (change.getOp() == ChangeOp.r) {
                assertThat(change.getTsMs()).isEqualTo(start);
            } else {
                assertThat(change.getBefore()).isNotEqualTo(change.getAfter());
            }
        }
        assertThat(ops).containsEntry(ChangeOp.r, (long) BenchOrders.PRODUCTS);
        assertThat(ops).containsEntry(ChangeOp.u, 50L);
        for (BenchOrders.Generated g : customers) {
            CustomerChange change = (CustomerChange) g.value();
            assertThat(g.key()).isEqualTo(change.getAfter().getCustomerId());
            assertThat(change.getTsMs()).isEqualTo(g.timestamp());
        }
        // The changelogs advance with the orders, so no partition's event time stalls.
        assertThat(products.get(products.size() - 1).timestamp())
                .isGreaterThan(all.get(all.size() - 1).timestamp() - 1_000);
    }
}
