package io.tidemark.common.joins.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.runtime.record.RecordKind;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dedup of orders by orderId, driven by a harness: of the copies of one orderId, the one first
 * by (event time, topic, partition, offset) passes exactly once, whatever the arrival order; later
 * copies within the horizon are dropped and counted; the state and timers are gone once the
 * watermark passes the horizon; a snapshot in the middle changes nothing.
 */
class DeduplicateOrdersTest {

    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();
    private static final long HORIZON = 60_000;

    private DeduplicateOrders function;
    private KeyedOneInputStreamOperatorTestHarness<String, InputRecord<Order>, InputRecord<Order>>
            harness;

    private void open(long horizon, OperatorSubtaskState restore) throws Exception {
        function = new DeduplicateOrders(horizon);
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(function),
                        record -> record.payload.getOrderId(),
                        Types.STRING);
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /** A copy of order {@code orderId} at {@code T0 + t}, read from partition/offset. */
    private static InputRecord<Order> copy(String orderId, long t, int partition, long offset) {
        InputRecord<Order> r = new InputRecord<>();
        r.topic = "orders";
        r.partition = partition;
        r.offset = offset;
        r.recordTimestamp = T0 + t;
        r.kind = RecordKind.DATA;
        r.eventTime = T0 + t;
        r.payload =
                Order.newBuilder()
                        .setOrderId(orderId)
                        .setCustomerId("k-1")
                        .setEventTime(Instant.ofEpochMilli(T0 + t))
                        .setCurrency("EUR")
                        .setLines(List.of(new OrderLine("p-1", 1, 100L)))
                        .build();
        return r;
    }

    private void push(InputRecord<Order> r) throws Exception {
        harness.processElement(new StreamRecord<>(r, r.eventTime));
    }

    private void watermark(long t) throws Exception {
        harness.processWatermark(new Watermark(T0 + t));
    }

    private List<String> emitted() {
        return harness.extractOutputValues().stream()
                .map(r -> r.payload.getOrderId() + "@" + r.coordinates())
                .toList();
    }

    @Test
    void theFirstCopyByEventTimePartitionAndOffsetPassesOnceWhateverTheArrivalOrder()
            throws Exception {
        List<InputRecord<Order>> copies =
                List.of(
                        copy("o-1", 1_000, 1, 7), // the winner: earliest event time, then p1 < p2
                        copy("o-1", 1_000, 2, 3),
                        copy("o-1", 1_000, 1, 9),
                        copy("o-1", 2_000, 0, 0), // later event time, lower partition
                        copy("o-1", 5_000, 0, 1),
                        copy("o-2", 3_000, 0, 2));
        Random random = new Random(42);
        for (int run = 0; run < 30; run++) {
            List<InputRecord<Order>> arrival = new ArrayList<>(copies);
            Collections.shuffle(arrival, random);
            open(HORIZON, null);
            for (InputRecord<Order> r : arrival) {
                push(r);
            }
            watermark(10_000);
            assertThat(emitted())
                    .as("arrival %s", arrival)
                    .containsExactly("o-1@orders/1/7", "o-2@orders/0/2");
            assertThat(function.duplicatesCounted()).isEqualTo(4);
            harness.close();
        }
        harness = null;
    }

    @Test
    void copiesArrivingAfterTheWinnerPassedAreDroppedAndCounted() throws Exception {
        open(HORIZON, null);
        push(copy("o-1", 1_000, 0, 0));
        watermark(1_000);
        assertThat(emitted()).containsExactly("o-1@orders/0/0");
        assertThat(harness.extractOutputStreamRecords().get(0).getTimestamp())
                .isEqualTo(T0 + 1_000);

        push(copy("o-1", 1_500, 1, 0));
        push(copy("o-1", 1_000 + HORIZON, 1, 1)); // exactly at the horizon: still a duplicate
        watermark(HORIZON + 5_000);

        assertThat(emitted()).containsExactly("o-1@orders/0/0");
        assertThat(function.duplicatesCounted()).isEqualTo(2);
    }

    @Test
    void stateAndTimersAreClearedWhenTheWatermarkPassesTheHorizon() throws Exception {
        open(HORIZON, null);
        push(copy("o-1", 1_000, 0, 0));
        push(copy("o-1", 1_000, 1, 0));
        push(copy("o-2", 2_000, 0, 1));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        watermark(2_000);
        // both passed: the pending copies are gone, one passed-at entry per order, one clear
        // timer each at event time + horizon
        assertThat(emitted()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        watermark(1_000 + HORIZON);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        watermark(2_000 + HORIZON);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aCopyBeyondTheHorizonPassesAgainWhateverWhenItArrives() throws Exception {
        // The rule depends on the data only: a copy more than the horizon after the passed one is
        // a new order under the same id, whether it arrives before or after the first one passed.
        for (boolean early : List.of(true, false)) {
            open(HORIZON, null);
            push(copy("o-1", 1_000, 0, 0));
            InputRecord<Order> beyond = copy("o-1", 1_001 + HORIZON, 1, 0);
            if (early) {
                push(beyond);
            }
            watermark(5_000);
            if (!early) {
                push(beyond);
            }
            push(copy("o-1", 1_002 + HORIZON, 0, 1)); // within the horizon of the second one
            watermark(10 * HORIZON);
            assertThat(emitted())
                    .as("early=%s", early)
                    .containsExactly("o-1@orders/0/0", "o-1@orders/1/0");
            assertThat(function.duplicatesCounted()).isEqualTo(1);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
            harness.close();
        }
        harness = null;
    }

    @Test
    void aZeroHorizonDropsOnlyCopiesWithTheSameEventTime() throws Exception {
        open(0, null);
        push(copy("o-1", 1_000, 1, 0));
        push(copy("o-1", 1_000, 0, 5));
        push(copy("o-1", 1_001, 0, 6));
        watermark(2_000);
        assertThat(emitted()).containsExactly("o-1@orders/0/5", "o-1@orders/0/6");
        assertThat(function.duplicatesCounted()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void pendingAndPassedCopiesSurviveASnapshotAndRestore() throws Exception {
        open(HORIZON, null);
        push(copy("o-1", 1_000, 1, 4)); // passes before the snapshot
        watermark(1_000);
        push(copy("o-2", 3_000, 1, 5)); // pending at the snapshot
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        assertThat(emitted()).containsExactly("o-1@orders/1/4");
        harness.close();

        open(HORIZON, snapshot);
        push(copy("o-1", 2_000, 0, 9)); // a copy of the passed order: dropped
        push(copy("o-2", 3_000, 0, 1)); // sorts before the pending copy of o-2: replaces it
        push(copy("o-2", 3_000, 1, 6));
        watermark(3_000);

        assertThat(emitted()).containsExactly("o-2@orders/0/1");
        assertThat(function.duplicatesCounted()).isEqualTo(3);
        watermark(3_000 + HORIZON);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
