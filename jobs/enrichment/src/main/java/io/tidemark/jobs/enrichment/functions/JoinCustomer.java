package io.tidemark.jobs.enrichment.functions;

import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.schemas.ChangeOp;
import io.tidemark.common.schemas.Customer;
import io.tidemark.common.schemas.CustomerChange;
import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.EnrichedOrderLine;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Event-time temporal join of orders with customer versions, keyed by customerId.
 *
 * <p>An order at time {@code t} waits until the watermark of both inputs has passed {@code t}. By
 * then every customer change with {@code ts_ms ≤ t} has arrived or been classified late (DESIGN.md
 * §1), so the version chosen — the greatest {@code ts_ms ≤ t} — never depends on which stream was
 * read faster. The order then leaves as one {@link LineTask} per line for the product join.
 * Customer versions no future order can need are pruned on event-time timers.
 */
public final class JoinCustomer
        extends KeyedCoProcessFunction<
                String, InputRecord<Order>, InputRecord<CustomerChange>, LineTask> {

    private static final long serialVersionUID = 1L;

    public static final String VERSIONS_STATE = "customer-versions";
    public static final String PENDING_STATE = "pending-orders";

    private transient VersionHistory<Customer> customers;
    private transient PendingFacts pending;
    private transient Counter notFound;

    @Override
    public void open(OpenContext openContext) {
        customers =
                new VersionHistory<>(
                        getRuntimeContext()
                                .getMapState(
                                        new MapStateDescriptor<>(
                                                VERSIONS_STATE,
                                                Types.LONG,
                                                DimensionVersion.typeInfo(Customer.class))));
        pending =
                new PendingFacts(
                        getRuntimeContext()
                                .getMapState(
                                        new MapStateDescriptor<>(
                                                PENDING_STATE,
                                                Types.LONG,
                                                Types.LIST(LineTask.typeInfo()))));
        notFound =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("tidemark")
                        .counter("customerNotFound");
    }

    @Override
    public void processElement1(InputRecord<Order> record, Context ctx, Collector<LineTask> out)
            throws Exception {
        long t = record.eventTime;
        pending.add(t, LineTask.of(record.coordinates(), -1, skeleton(record.payload)));
        ctx.timerService().registerEventTimeTimer(t);
    }

    @Override
    public void processElement2(
            InputRecord<CustomerChange> record, Context ctx, Collector<LineTask> out)
            throws Exception {
        CustomerChange change = record.payload;
        customers.add(
                DimensionVersion.of(
                        record.eventTime,
                        record.partition,
                        record.offset,
                        change.getOp() == ChangeOp.d,
                        change.getAfter()));
        ctx.timerService().registerEventTimeTimer(record.eventTime);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LineTask> out)
            throws Exception {
        List<LineTask> due = pending.takeDue(timestamp);
        if (!due.isEmpty()) {
            DimensionVersion<Customer> version = customers.validAt(timestamp);
            boolean found = version != null && !version.deleted;
            for (LineTask task : due) {
                EnrichedOrder order = task.order;
                order.setCustomerFound(found);
                if (found) {
                    order.setCustomerSegment(version.value.getSegment());
                    order.setCustomerRegion(version.value.getRegion());
                    order.setCustomerVersionTsMs(version.tsMs);
                } else {
                    notFound.inc();
                }
                for (int i = 0; i < order.getLines().size(); i++) {
                    out.collect(LineTask.of(task.ref, i, order));
                }
            }
        }
        customers.pruneUpTo(timestamp);
    }

    /** The order in output shape, with nothing joined yet. */
    static EnrichedOrder skeleton(Order order) {
        List<EnrichedOrderLine> lines = new ArrayList<>(order.getLines().size());
        for (OrderLine line : order.getLines()) {
            lines.add(
                    EnrichedOrderLine.newBuilder()
                            .setProductId(line.getProductId())
                            .setQuantity(line.getQuantity())
                            .setUnitPriceMinor(line.getUnitPriceMinor())
                            .setProductFound(false)
                            .build());
        }
        return EnrichedOrder.newBuilder()
                .setOrderId(order.getOrderId())
                .setCustomerId(order.getCustomerId())
                .setEventTime(order.getEventTime())
                .setCurrency(order.getCurrency())
                .setCustomerFound(false)
                .setLines(lines)
                .build();
    }
}
