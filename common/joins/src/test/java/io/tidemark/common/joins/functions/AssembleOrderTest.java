package io.tidemark.common.joins.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.EnrichedOrderLine;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AssembleOrderTest {

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
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<String, LineTask, EnrichedOrder>(
                        new KeyedProcessOperator<>(new AssembleOrder()),
                        task -> task.ref,
                        Types.STRING);
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
        harness.close();
    }
}
