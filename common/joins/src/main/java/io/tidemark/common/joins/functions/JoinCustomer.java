package io.tidemark.common.joins.functions;

import io.tidemark.common.runtime.metrics.TidemarkMetrics;
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
import org.apache.flink.util.Collector;

/**
 * The customer side of the temporal join, keyed by customerId: an order takes the customer version
 * valid at its event time (see {@link TemporalJoin}), then leaves as one {@link LineTask} per line
 * for the product join.
 */
public final class JoinCustomer extends TemporalJoin<InputRecord<Order>, CustomerChange, Customer> {

    private static final long serialVersionUID = 1L;

    public static final String VERSIONS_STATE = "customer-versions";
    public static final String PENDING_STATE = "pending-orders";

    public JoinCustomer() {
        super(VERSIONS_STATE, PENDING_STATE, Customer.class, TidemarkMetrics.CUSTOMER_NOT_FOUND);
    }

    @Override
    LineTask pendingTask(InputRecord<Order> record) {
        return LineTask.of(record.coordinates(), -1, skeleton(record.payload));
    }

    @Override
    long eventTime(InputRecord<Order> record) {
        return record.eventTime;
    }

    @Override
    boolean isDelete(CustomerChange change) {
        return change.getOp() == ChangeOp.d;
    }

    @Override
    Customer image(CustomerChange change) {
        return change.getAfter();
    }

    @Override
    void emit(LineTask task, DimensionVersion<Customer> valid, Collector<LineTask> out) {
        EnrichedOrder order = task.order;
        order.setCustomerFound(valid != null);
        if (valid != null) {
            order.setCustomerSegment(valid.value.getSegment());
            order.setCustomerRegion(valid.value.getRegion());
            order.setCustomerVersionTsMs(valid.tsMs);
        }
        for (int i = 0; i < order.getLines().size(); i++) {
            out.collect(LineTask.of(task.ref, i, order));
        }
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
