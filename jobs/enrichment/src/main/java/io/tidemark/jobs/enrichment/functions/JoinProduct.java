package io.tidemark.jobs.enrichment.functions;

import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.schemas.ChangeOp;
import io.tidemark.common.schemas.EnrichedOrderLine;
import io.tidemark.common.schemas.Product;
import io.tidemark.common.schemas.ProductChange;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Event-time temporal join of order lines with product versions, keyed by productId; the same
 * hold-back rule as {@link JoinCustomer}. Its line input comes from the customer join, whose
 * watermark has passed the orders' and customers', so a line leaves only when all three inputs'
 * watermarks have passed the order's time.
 */
public final class JoinProduct
        extends KeyedCoProcessFunction<String, LineTask, InputRecord<ProductChange>, LineTask> {

    private static final long serialVersionUID = 1L;

    public static final String VERSIONS_STATE = "product-versions";
    public static final String PENDING_STATE = "pending-lines";

    private transient VersionHistory<Product> products;
    private transient PendingFacts pending;
    private transient Counter notFound;

    @Override
    public void open(OpenContext openContext) {
        products =
                new VersionHistory<>(
                        getRuntimeContext()
                                .getMapState(
                                        new MapStateDescriptor<>(
                                                VERSIONS_STATE,
                                                Types.LONG,
                                                DimensionVersion.typeInfo(Product.class))));
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
                        .counter("productNotFound");
    }

    @Override
    public void processElement1(LineTask task, Context ctx, Collector<LineTask> out)
            throws Exception {
        pending.add(task.eventTime(), task);
        ctx.timerService().registerEventTimeTimer(task.eventTime());
    }

    @Override
    public void processElement2(
            InputRecord<ProductChange> record, Context ctx, Collector<LineTask> out)
            throws Exception {
        ProductChange change = record.payload;
        products.add(
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
            DimensionVersion<Product> version = products.validAt(timestamp);
            boolean found = version != null && !version.deleted;
            for (LineTask task : due) {
                EnrichedOrderLine line = task.order.getLines().get(task.lineIndex);
                line.setProductFound(found);
                if (found) {
                    line.setProductName(version.value.getName());
                    line.setCategory(version.value.getCategory());
                    line.setListPriceMinor(version.value.getListPriceMinor());
                    line.setProductVersionTsMs(version.tsMs);
                } else {
                    notFound.inc();
                }
                out.collect(task);
            }
        }
        products.pruneUpTo(timestamp);
    }
}
