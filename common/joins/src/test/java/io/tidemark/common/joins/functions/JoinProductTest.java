package io.tidemark.common.joins.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.runtime.record.RecordKind;
import io.tidemark.common.schemas.ChangeOp;
import io.tidemark.common.schemas.EnrichedOrderLine;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;
import io.tidemark.common.schemas.Product;
import io.tidemark.common.schemas.ProductChange;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The product side of the temporal join, driven by a harness: which version a line gets, when it is
 * released, and that version state stays bounded.
 */
class JoinProductTest {

    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();

    private KeyedTwoInputStreamOperatorTestHarness<
                    String, LineTask, InputRecord<ProductChange>, LineTask>
            harness;
    private long nextOffset;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new JoinProduct()),
                        LineTask::productId,
                        record -> ProductChangeSpec.productId(record.payload),
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static LineTask line(String orderId, String productId, long t) {
        Order order =
                Order.newBuilder()
                        .setOrderId(orderId)
                        .setCustomerId("k-1")
                        .setEventTime(Instant.ofEpochMilli(T0 + t))
                        .setCurrency("EUR")
                        .setLines(List.of(new OrderLine(productId, 1, 100L)))
                        .build();
        return LineTask.of("orders/0/" + orderId, 0, JoinCustomer.skeleton(order));
    }

    private void order(String orderId, String productId, long t) throws Exception {
        harness.processElement1(new StreamRecord<>(line(orderId, productId, t), T0 + t));
    }

    private void change(ChangeOp op, String productId, long ts, long price) throws Exception {
        change(op, productId, ts, price, 0);
    }

    private void change(ChangeOp op, String productId, long ts, long price, int partition)
            throws Exception {
        Product image = new Product(productId, "name-" + price, "books", price);
        InputRecord<ProductChange> r = new InputRecord<>();
        r.topic = "products";
        r.partition = partition;
        r.offset = nextOffset++;
        r.kind = RecordKind.DATA;
        r.eventTime = T0 + ts;
        r.payload =
                new ProductChange(
                        op,
                        op == ChangeOp.d ? image : null,
                        op == ChangeOp.d ? null : image,
                        T0 + ts);
        harness.processElement2(new StreamRecord<>(r, T0 + ts));
    }

    private void watermark(long t) throws Exception {
        harness.processWatermark1(new Watermark(T0 + t));
        harness.processWatermark2(new Watermark(T0 + t));
    }

    private List<EnrichedOrderLine> lines() {
        return harness.extractOutputValues().stream()
                .map(task -> task.order.getLines().get(task.lineIndex))
                .toList();
    }

    private int versionsOf(String productId) throws Exception {
        @SuppressWarnings("unchecked")
        KeyedStateBackend<String> backend =
                ((AbstractStreamOperator<LineTask>) harness.getOperator()).getKeyedStateBackend();
        backend.setCurrentKey(productId);
        MapState<Long, DimensionVersion<Product>> versions =
                backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new MapStateDescriptor<>(
                                JoinProduct.VERSIONS_STATE,
                                Types.LONG,
                                DimensionVersion.typeInfo(Product.class)));
        int count = 0;
        for (Long ignored : versions.keys()) {
            count++;
        }
        return count;
    }

    @Test
    void lineTakesTheVersionValidAtOrderTime() throws Exception {
        change(ChangeOp.r, "p-1", 0, 100);
        change(ChangeOp.u, "p-1", 2_000, 200);
        change(ChangeOp.u, "p-1", 4_000, 300);
        order("o-1", "p-1", 3_000);
        watermark(10_000);

        assertThat(lines())
                .singleElement()
                .satisfies(
                        line -> {
                            assertThat(line.getProductFound()).isTrue();
                            assertThat(line.getListPriceMinor()).isEqualTo(200L);
                            assertThat(line.getProductVersionTsMs()).isEqualTo(T0 + 2_000);
                        });
    }

    @Test
    void versionAtExactlyTheOrderTimeApplies() throws Exception {
        change(ChangeOp.r, "p-1", 0, 100);
        change(ChangeOp.u, "p-1", 3_000, 200);
        order("o-1", "p-1", 3_000);
        watermark(3_000);

        assertThat(lines()).extracting(EnrichedOrderLine::getListPriceMinor).containsExactly(200L);
    }

    @Test
    void lineWaitsUntilBothWatermarksPassTheOrderTime() throws Exception {
        order("o-1", "p-1", 3_000);
        harness.processWatermark1(new Watermark(T0 + 5_000));
        assertThat(harness.extractOutputValues()).as("products' watermark still behind").isEmpty();

        change(ChangeOp.u, "p-1", 2_500, 250); // arrives after the order, valid before it
        harness.processWatermark2(new Watermark(T0 + 3_000));

        assertThat(lines()).extracting(EnrichedOrderLine::getListPriceMinor).containsExactly(250L);
    }

    @Test
    void deleteBeforeTheOrderMeansNotFound() throws Exception {
        change(ChangeOp.c, "p-1", 0, 100);
        change(ChangeOp.d, "p-1", 1_000, 100);
        order("o-1", "p-1", 2_000);
        change(ChangeOp.c, "p-1", 3_000, 300);
        order("o-2", "p-1", 4_000);
        watermark(10_000);

        assertThat(lines())
                .extracting(EnrichedOrderLine::getProductFound)
                .containsExactly(false, true);
        assertThat(lines().get(0).getProductName()).isNull();
        assertThat(lines().get(1).getListPriceMinor()).isEqualTo(300L);
    }

    @Test
    void orderBeforeAnyVersionIsNotFoundNotDropped() throws Exception {
        order("o-1", "p-1", 1_000);
        change(ChangeOp.c, "p-1", 2_000, 100);
        watermark(10_000);

        assertThat(lines())
                .singleElement()
                .extracting(EnrichedOrderLine::getProductFound)
                .isEqualTo(false);
    }

    @Test
    void equalTimestampsAreBrokenByTheLaterChangeEvent() throws Exception {
        change(ChangeOp.u, "p-1", 1_000, 200, 0);
        change(ChangeOp.u, "p-1", 1_000, 100, 0); // later offset, same ts_ms: wins
        order("o-1", "p-1", 2_000);
        watermark(10_000);

        assertThat(lines()).extracting(EnrichedOrderLine::getListPriceMinor).containsExactly(100L);
    }

    @Test
    void versionStateStaysBoundedOverALongRun() throws Exception {
        int maxVersions = 0;
        for (int i = 0; i < 1_000; i++) {
            long t = i * 1_000L;
            change(ChangeOp.u, "p-1", t, 100 + i);
            order("o-" + i, "p-1", t + 500);
            watermark(t - 2_000); // the watermark trails the data, as B makes it
            maxVersions = Math.max(maxVersions, versionsOf("p-1"));
        }
        watermark(Long.MAX_VALUE - T0);

        assertThat(harness.extractOutputValues()).hasSize(1_000);
        assertThat(lines().get(999).getListPriceMinor()).isEqualTo(100L + 999);
        assertThat(maxVersions)
                .as("versions kept while the watermark trails by 2 s")
                .isLessThanOrEqualTo(5);
        assertThat(versionsOf("p-1")).as("only the newest version is left").isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void pendingLinesAndTimersAreClearedOnceEmitted() throws Exception {
        change(ChangeOp.r, "p-1", 0, 100);
        order("o-1", "p-1", 1_000);
        order("o-2", "p-2", 1_000);
        watermark(1_000);

        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries())
                .as("only p-1's single version remains")
                .isEqualTo(1);
    }
}
