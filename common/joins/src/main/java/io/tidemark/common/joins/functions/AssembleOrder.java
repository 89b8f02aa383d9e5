package io.tidemark.common.joins.functions;

import io.tidemark.common.runtime.metrics.TidemarkMetrics;
import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.EnrichedOrderLine;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Puts an order's enriched lines back together, keyed by the order's source reference, and emits
 * the order once every line has arrived; its state is then cleared. Lines are placed by index, so
 * the result does not depend on the order they arrive in.
 *
 * <p><b>Safety timer.</b> While an order is incomplete, an event-time timer waits at {@code order
 * event time + timeout} (the deadline comes from the order itself, so it needs no state of its own:
 * the timer lives in the operator's existing timer state). Every line of an order carries the
 * order's event time {@code t} and leaves the product join before that join's watermark passes
 * {@code t}, so when this operator's watermark reaches {@code t + timeout} no further line can
 * come: an order still incomplete then is broken, and waiting longer would hold its state forever.
 * It goes to the DLQ side output ({@link #INCOMPLETE}) with reason {@code INCOMPLETE_ORDER}, and
 * its state is cleared. It is dead-lettered rather than emitted: an enriched order with lines
 * missing would look complete to every consumer (and to the revenue windows) and undercount
 * silently, while the envelope keeps the order for a replay. The timer fires on the watermark only,
 * never on the wall clock, so the decision is the same in every run.
 */
public final class AssembleOrder extends KeyedProcessFunction<String, LineTask, EnrichedOrder> {

    private static final long serialVersionUID = 1L;

    public static final String PARTIAL_STATE = "partial-order";
    public static final String RECEIVED_STATE = "lines-received";

    /** Orders whose lines did not all arrive by their deadline, as DLQ envelopes. */
    public static final OutputTag<ErrorEnvelope> INCOMPLETE =
            new OutputTag<>("incomplete-orders", new AvroTypeInfo<>(ErrorEnvelope.class));

    private final String job;
    private final long timeoutMs;

    private transient ValueState<EnrichedOrder> partial;
    private transient ValueState<Integer> received;
    private transient SingleObjectCodec<Order> orders;
    private transient Counter incomplete;

    /**
     * @param job the configured job name, written into envelopes
     * @param timeoutMs how long past an order's event time (in event time) its lines may take
     */
    public AssembleOrder(String job, long timeoutMs) {
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("timeout must be >= 0, was " + timeoutMs);
        }
        this.job = job;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void open(OpenContext openContext) {
        partial =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        PARTIAL_STATE, new AvroTypeInfo<>(EnrichedOrder.class)));
        received =
                getRuntimeContext().getState(new ValueStateDescriptor<>(RECEIVED_STATE, Types.INT));
        orders = SingleObjectCodec.of(Order.class);
        incomplete =
                TidemarkMetrics.of(getRuntimeContext().getMetricGroup())
                        .addGroup(TidemarkMetrics.REASON, ReasonCode.INCOMPLETE_ORDER.name())
                        .counter(TidemarkMetrics.DLQ);
    }

    @Override
    public void processElement(LineTask task, Context ctx, Collector<EnrichedOrder> out)
            throws Exception {
        EnrichedOrder order = partial.value();
        if (order == null) {
            order = EnrichedOrder.newBuilder(task.order).build();
            order.setLines(new ArrayList<>(task.order.getLines()));
        }
        List<EnrichedOrderLine> lines = new ArrayList<>(order.getLines());
        lines.set(task.lineIndex, task.order.getLines().get(task.lineIndex));
        order.setLines(lines);
        int count = (received.value() == null ? 0 : received.value()) + 1;
        long deadline = deadline(order);
        if (count == lines.size()) {
            partial.clear();
            received.clear();
            if (count > 1) {
                // an earlier line registered it; a one-line order never had one
                ctx.timerService().deleteEventTimeTimer(deadline);
            }
            out.collect(order);
        } else {
            partial.update(order);
            received.update(count);
            // Registered again by every line (the same timestamp is one timer per key), so an
            // order restored from a savepoint taken before the timer existed gets it as well.
            ctx.timerService().registerEventTimeTimer(deadline);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedOrder> out)
            throws Exception {
        EnrichedOrder order = partial.value();
        if (order == null) {
            return; // completed in time
        }
        int count = received.value() == null ? 0 : received.value();
        partial.clear();
        received.clear();
        incomplete.inc();
        ctx.output(INCOMPLETE, envelope(ctx.getCurrentKey(), order, count));
    }

    /** The order's event time plus the timeout, saturating at the end of time. */
    private long deadline(EnrichedOrder order) {
        long t = order.getEventTime().toEpochMilli();
        return t > Long.MAX_VALUE - timeoutMs ? Long.MAX_VALUE : t + timeoutMs;
    }

    /**
     * The envelope of an incomplete order: where it was read ({@code ref} is its {@code
     * topic/partition/offset}), its key ({@code orderId}), and as value the order re-encoded with
     * the current {@code Order} schema (the original bytes are not kept past validation), so a DLQ
     * replay can produce it again. The original Kafka timestamp is not kept either: {@code
     * recordTimestamp} is the order's event time.
     */
    ErrorEnvelope envelope(String ref, EnrichedOrder order, int received) {
        int offsetAt = ref.lastIndexOf('/');
        int partitionAt = ref.lastIndexOf('/', offsetAt - 1);
        Instant eventTime = order.getEventTime();
        return ErrorEnvelope.newBuilder()
                .setKey(ByteBuffer.wrap(order.getOrderId().getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(orders.encode(original(order))))
                .setTopic(ref.substring(0, partitionAt))
                .setPartition(Integer.parseInt(ref.substring(partitionAt + 1, offsetAt)))
                .setOffset(Long.parseLong(ref.substring(offsetAt + 1)))
                .setReasonCode(ReasonCode.INCOMPLETE_ORDER)
                .setMessage(
                        "order "
                                + order.getOrderId()
                                + ": "
                                + received
                                + " of "
                                + order.getLines().size()
                                + " lines arrived by event time "
                                + eventTime
                                + " + "
                                + timeoutMs
                                + " ms (enrichment.assembly-timeout)")
                .setJob(job)
                .setRecordTimestamp(eventTime)
                .setEventTime(eventTime)
                .build();
    }

    /** The order as it was read: every field of {@code Order} is in the enriched order. */
    static Order original(EnrichedOrder order) {
        List<OrderLine> lines = new ArrayList<>(order.getLines().size());
        for (EnrichedOrderLine line : order.getLines()) {
            lines.add(
                    new OrderLine(
                            line.getProductId(), line.getQuantity(), line.getUnitPriceMinor()));
        }
        return Order.newBuilder()
                .setOrderId(order.getOrderId())
                .setCustomerId(order.getCustomerId())
                .setEventTime(order.getEventTime())
                .setCurrency(order.getCurrency())
                .setLines(lines)
                .build();
    }
}
