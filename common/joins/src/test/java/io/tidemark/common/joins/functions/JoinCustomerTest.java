package io.tidemark.common.joins.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.runtime.record.RecordKind;
import io.tidemark.common.schemas.ChangeOp;
import io.tidemark.common.schemas.Customer;
import io.tidemark.common.schemas.CustomerChange;
import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The customer side of the temporal join, driven by a harness: an order is held until both
 * watermarks pass its event time, takes the customer version valid then, leaves as one task per
 * line, and leaves no pending order or timer behind.
 */
class JoinCustomerTest {

    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();

    private KeyedTwoInputStreamOperatorTestHarness<
                    String, InputRecord<Order>, InputRecord<CustomerChange>, LineTask>
            harness;
    private long nextOffset;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new JoinCustomer()),
                        record -> record.payload.getCustomerId(),
                        record -> CustomerChangeSpec.customerId(record.payload),
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void order(String orderId, String customerId, long t, int lines) throws Exception {
        List<OrderLine> orderLines =
                java.util.stream.IntStream.range(0, lines)
                        .mapToObj(i -> new OrderLine("p-" + i, 1, 100L))
                        .toList();
        InputRecord<Order> r = record("orders", t);
        r.payload =
                Order.newBuilder()
                        .setOrderId(orderId)
                        .setCustomerId(customerId)
                        .setEventTime(Instant.ofEpochMilli(T0 + t))
                        .setCurrency("EUR")
                        .setLines(orderLines)
                        .build();
        harness.processElement1(new StreamRecord<>(r, T0 + t));
    }

    private void change(ChangeOp op, String customerId, long ts, String region) throws Exception {
        Customer image = new Customer(customerId, "retail", region);
        InputRecord<CustomerChange> r = record("customers", ts);
        r.payload =
                new CustomerChange(
                        op,
                        op == ChangeOp.d ? image : null,
                        op == ChangeOp.d ? null : image,
                        T0 + ts);
        harness.processElement2(new StreamRecord<>(r, T0 + ts));
    }

    private <T> InputRecord<T> record(String topic, long t) {
        InputRecord<T> r = new InputRecord<>();
        r.topic = topic;
        r.partition = 0;
        r.offset = nextOffset++;
        r.kind = RecordKind.DATA;
        r.eventTime = T0 + t;
        return r;
    }

    private void watermark(long t) throws Exception {
        harness.processWatermark1(new Watermark(T0 + t));
        harness.processWatermark2(new Watermark(T0 + t));
    }

    private List<EnrichedOrder> orders() {
        return harness.extractOutputValues().stream().map(task -> task.order).toList();
    }

    @Test
    void orderTakesTheCustomerVersionValidAtItsTimeOncePerLine() throws Exception {
        change(ChangeOp.r, "k-1", 0, "north");
        change(ChangeOp.u, "k-1", 2_000, "south");
        change(ChangeOp.u, "k-1", 4_000, "east");
        order("o-1", "k-1", 3_000, 3);
        watermark(10_000);

        assertThat(harness.extractOutputValues())
                .extracting(task -> task.lineIndex)
                .containsExactly(0, 1, 2);
        assertThat(orders())
                .allSatisfy(
                        order -> {
                            assertThat(order.getCustomerFound()).isTrue();
                            assertThat(order.getCustomerRegion()).isEqualTo("south");
                            assertThat(order.getCustomerVersionTsMs()).isEqualTo(T0 + 2_000);
                        });
    }

    @Test
    void orderIsHeldUntilBothWatermarksPassItsTime() throws Exception {
        order("o-1", "k-1", 3_000, 1);
        harness.processWatermark1(new Watermark(T0 + 5_000));
        assertThat(harness.extractOutputValues()).as("customers' watermark still behind").isEmpty();
        assertThat(harness.numEventTimeTimers()).as("one timer for the held order").isEqualTo(1);

        change(ChangeOp.u, "k-1", 2_500, "west"); // arrives after the order, valid before it
        harness.processWatermark2(new Watermark(T0 + 3_000));

        assertThat(orders()).extracting(EnrichedOrder::getCustomerRegion).containsExactly("west");
    }

    @Test
    void deletedOrUnknownCustomerIsNotFoundAndTheOrderStillLeaves() throws Exception {
        change(ChangeOp.c, "k-1", 0, "north");
        change(ChangeOp.d, "k-1", 1_000, "north");
        order("o-1", "k-1", 2_000, 1);
        order("o-2", "k-unknown", 2_000, 1);
        watermark(10_000);

        assertThat(orders()).extracting(EnrichedOrder::getCustomerFound).containsOnly(false);
        assertThat(orders()).extracting(EnrichedOrder::getCustomerRegion).containsOnlyNulls();
        assertThat(orders()).extracting(EnrichedOrder::getOrderId).containsExactly("o-1", "o-2");
    }

    @Test
    void timersFireAndPendingOrdersAreClearedOnceEmitted() throws Exception {
        change(ChangeOp.r, "k-1", 0, "north");
        order("o-1", "k-1", 1_000, 2);
        order("o-2", "k-2", 1_500, 1);
        assertThat(harness.numEventTimeTimers())
                .as("one per pending order's time, one per version (it prunes older versions)")
                .isEqualTo(3);

        watermark(1_500);

        assertThat(harness.extractOutputValues()).hasSize(3);
        assertThat(harness.numEventTimeTimers()).as("every timer fired").isZero();
        assertThat(harness.numKeyedStateEntries())
                .as("only k-1's single version remains; no pending order")
                .isEqualTo(1);
    }
}
