package io.tidemark.jobs.revenue.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.RevenueAggregate;
import io.tidemark.jobs.revenue.RevenueTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The 1-minute window operator exactly as the topology builds it, driven by a harness. */
class RevenueWindowsTest {

    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    private KeyedOneInputStreamOperatorTestHarness<String, Contribution, RevenueAggregate> harness;

    @SuppressWarnings("unchecked")
    @BeforeEach
    void setUp() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SingleOutputStreamOperator<RevenueAggregate> windows =
                RevenueTopology.windows(
                        env.fromData(
                                List.of(
                                        EnrichedOrder.newBuilder()
                                                .setOrderId("o")
                                                .setCustomerId("k")
                                                .setEventTime(Instant.ofEpochMilli(T0))
                                                .setCurrency("EUR")
                                                .setCustomerFound(false)
                                                .setLines(List.of())
                                                .build()),
                                new AvroTypeInfo<>(EnrichedOrder.class)),
                        Duration.ofMinutes(1));
        StreamOperatorFactory<RevenueAggregate> factory =
                ((OneInputTransformation<Contribution, RevenueAggregate>)
                                windows.getTransformation())
                        .getOperatorFactory();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        factory, Contribution::groupKey, Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void push(String category, long at, int units, long revenue) throws Exception {
        Contribution c = new Contribution();
        c.category = category;
        c.region = "EU";
        c.currency = "EUR";
        c.orders = 1;
        c.units = units;
        c.revenueMinor = revenue;
        harness.processElement(new StreamRecord<>(c, T0 + at));
    }

    private List<RevenueAggregate> results() {
        return harness.extractOutputValues();
    }

    @Test
    void windowStateStaysConstantSizeHoweverManyOrdersItHolds() throws Exception {
        push("books", 1_000, 1, 100);
        OperatorSubtaskState one = harness.snapshot(1L, 1L);
        int entriesWithOne = harness.numKeyedStateEntries();

        for (int i = 0; i < 10_000; i++) {
            push("books", 1_000 + i % 50_000, 2, 250);
        }
        OperatorSubtaskState many = harness.snapshot(2L, 2L);

        assertThat(harness.numKeyedStateEntries()).isEqualTo(entriesWithOne);
        assertThat(many.getStateSize())
                .as("10,001 orders take the same state as one: sums, not a list")
                .isEqualTo(one.getStateSize());
    }

    @Test
    void orderAtExactlyTheMinuteBoundaryBelongsToTheWindowStartingThen() throws Exception {
        push("books", MINUTE - 1, 1, 100); // 10:00:59.999
        push("books", MINUTE, 2, 200); // 10:01:00.000
        harness.processWatermark(new Watermark(T0 + 2 * MINUTE));

        assertThat(results())
                .extracting(a -> a.getWindowStart().toEpochMilli() - T0, RevenueAggregate::getUnits)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(0L, 1L),
                        org.assertj.core.groups.Tuple.tuple(MINUTE, 2L));
    }

    @Test
    void windowFiresOnceAtItsEndAndLeavesNoState() throws Exception {
        push("books", 10_000, 1, 100);
        push("toys", 20_000, 3, 300);
        push("books", 30_000, 2, 200);

        harness.processWatermark(new Watermark(T0 + MINUTE - 2));
        assertThat(results()).isEmpty();

        harness.processWatermark(new Watermark(T0 + MINUTE - 1));
        assertThat(results())
                .extracting(
                        RevenueAggregate::getCategory,
                        RevenueAggregate::getOrders,
                        RevenueAggregate::getUnits,
                        RevenueAggregate::getRevenueMinor)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("books", 2L, 3L, 300L),
                        org.assertj.core.groups.Tuple.tuple("toys", 1L, 3L, 300L));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        harness.processWatermark(new Watermark(T0 + 10 * MINUTE));
        assertThat(results()).hasSize(2);
    }

    @Test
    void aWindowSumThatWouldOverflowSaturatesInsteadOfFailingTheJob() throws Exception {
        // Two orders that each fit in a long but not together: with Math.addExact the window
        // threw, the job restarted from its checkpoint and threw again on the same records.
        push("books", 1_000, 1, Long.MAX_VALUE / 2 + 1);
        push("books", 2_000, 1, Long.MAX_VALUE / 2 + 1);
        push("books", 3_000, 1, 100);
        harness.processWatermark(new Watermark(T0 + MINUTE));

        assertThat(results())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.getRevenueMinor()).isEqualTo(Amounts.SATURATED);
                            assertThat(a.getOrders()).isEqualTo(3L);
                            assertThat(a.getUnits()).isEqualTo(3L);
                        });
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void groupsWhoseNamesContainTheKeySeparatorDoNotCollide() throws Exception {
        Contribution a = new Contribution();
        a.category = "a|b";
        a.region = "c";
        a.currency = "EUR";
        Contribution b = new Contribution();
        b.category = "a";
        b.region = "b|c";
        b.currency = "EUR";
        assertThat(a.groupKey()).isNotEqualTo(b.groupKey());
    }
}
