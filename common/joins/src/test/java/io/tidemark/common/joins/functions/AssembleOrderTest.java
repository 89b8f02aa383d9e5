package io.tidemark.common.joins.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.EnrichedOrderLine;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AssembleOrderTest {

    private static final long TIMEOUT = Duration.ofHours(1).toMillis();
    private static final long T = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();

    private static KeyedOneInputStreamOperatorTestHarness<String, LineTask, EnrichedOrder> harness()
            throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<String, LineTask, EnrichedOrder>(
                        new KeyedProcessOperator<>(new AssembleOrder("enrichment", TIMEOUT)),
                        task -> task.ref,
                        Types.STRING);
        return harness;
    }

    private static List<ErrorEnvelope> deadLetters(
            KeyedOneInputStreamOperatorTestHarness<String, LineTask, EnrichedOrder> harness) {
        var side = harness.getSideOutput(AssembleOrder.INCOMPLETE);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    private static EnrichedOrder order() {
        return JoinCustomer.skeleton(
                Order.newBuilder()
                        .setOrderId("o-1")
                        .setCustomerId("k-1")
                        .setEventTime(Instant.parse("2026-11-01T10:00:00Z"))
                        .setCurrency("EUR")
                        .setLines(
                                List.of(
                                        new OrderLine("p-1", 1, 100L),
                                        new OrderLine("p-2", 2, 200L),
                                        new OrderLine("p-3", 3, 300L)))
                        .build());
    }

    /** The line task as the product join emits it: only its own line enriched. */
    private static LineTask enriched(int index) {
        EnrichedOrder order = order();
        EnrichedOrderLine line = order.getLines().get(index);
        line.setProductFound(true);
        line.setCategory("cat-" + index);
        return LineTask.of("orders/0/7", index, order);
    }

    @Test
    void linesArrivingInAnyOrderAreAssembledByIndexAndStateIsCleared() throws Exception {
        var harness = harness();
        harness.open();
        long t = order().getEventTime().toEpochMilli();

        harness.processElement(new StreamRecord<>(enriched(2), t));
        harness.processElement(new StreamRecord<>(enriched(0), t));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

        harness.processElement(new StreamRecord<>(enriched(1), t));

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(
                        o ->
                                assertThat(o.getLines())
                                        .extracting(EnrichedOrderLine::getCategory)
                                        .containsExactly("cat-0", "cat-1", "cat-2"));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).as("the safety timer is deleted").isZero();
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(deadLetters(harness)).isEmpty();
        assertThat(harness.extractOutputValues()).hasSize(1);
        harness.close();
    }

    @Test
    void oneLineOrderIsEmittedAtOnceWithoutATimer() throws Exception {
        var harness = harness();
        harness.open();
        EnrichedOrder single = order();
        single.setLines(List.of(single.getLines().get(0)));

        harness.processElement(new StreamRecord<>(LineTask.of("orders/1/3", 0, single), T));

        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
        harness.close();
    }

    @Test
    void incompleteOrderIsDeadLetteredWhenTheWatermarkPassesItsDeadlineAndStateIsCleared()
            throws Exception {
        var harness = harness();
        harness.open();
        harness.processElement(new StreamRecord<>(enriched(0), T));
        harness.processElement(new StreamRecord<>(enriched(2), T));
        assertThat(harness.numEventTimeTimers()).as("one timer per order").isEqualTo(1);

        // Up to one ms before the deadline (order event time + timeout) nothing happens.
        harness.processWatermark(new Watermark(T + TIMEOUT - 1));
        assertThat(deadLetters(harness)).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

        harness.processWatermark(new Watermark(T + TIMEOUT));

        assertThat(harness.extractOutputValues()).as("never emitted incomplete").isEmpty();
        assertThat(harness.numKeyedStateEntries()).as("state cleared").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        ErrorEnvelope envelope = deadLetters(harness).get(0);
        assertThat(deadLetters(harness)).hasSize(1);
        assertThat(envelope.getReasonCode()).isEqualTo(ReasonCode.INCOMPLETE_ORDER);
        assertThat(envelope.getTopic()).isEqualTo("orders");
        assertThat(envelope.getPartition()).isZero();
        assertThat(envelope.getOffset()).isEqualTo(7L);
        assertThat(envelope.getJob()).isEqualTo("enrichment");
        assertThat(envelope.getEventTime()).isEqualTo(Instant.ofEpochMilli(T));
        assertThat(envelope.getMessage()).contains("o-1").contains("2 of 3 lines");
        assertThat(StandardCharsets.UTF_8.decode(envelope.getKey()).toString()).isEqualTo("o-1");
        Order replayable =
                SingleObjectCodec.of(Order.class).decode(bytes(envelope.getValue())).record();
        assertThat(replayable).isEqualTo(originalOrder());

        // A line that would still come later starts nothing old: the order is gone for good.
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(deadLetters(harness)).hasSize(1);
        harness.close();
    }

    @Test
    void theDeadlineSurvivesASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var before = harness()) {
            before.open();
            before.processElement(new StreamRecord<>(enriched(1), T));
            snapshot = before.snapshot(1L, 1L);
        }

        try (var after = harness()) {
            after.initializeState(snapshot);
            after.open();
            assertThat(after.numEventTimeTimers()).isEqualTo(1);
            after.processWatermark(new Watermark(T + TIMEOUT));

            assertThat(deadLetters(after))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains("1 of 3 lines"));
            assertThat(after.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void negativeTimeoutIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AssembleOrder("j", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Order originalOrder() {
        return Order.newBuilder()
                .setOrderId("o-1")
                .setCustomerId("k-1")
                .setEventTime(Instant.ofEpochMilli(T))
                .setCurrency("EUR")
                .setLines(
                        List.of(
                                new OrderLine("p-1", 1, 100L),
                                new OrderLine("p-2", 2, 200L),
                                new OrderLine("p-3", 3, 300L)))
                .build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
