package io.tidemark.common.joins.functions;

import io.tidemark.common.runtime.metrics.TidemarkMetrics;
import io.tidemark.common.schemas.ChangeOp;
import io.tidemark.common.schemas.EnrichedOrderLine;
import io.tidemark.common.schemas.Product;
import io.tidemark.common.schemas.ProductChange;
import org.apache.flink.util.Collector;

/**
 * The product side of the temporal join, keyed by productId (see {@link TemporalJoin}). Its line
 * input comes from the customer join, whose watermark has passed the orders' and customers', so a
 * line leaves only when all three inputs' watermarks have passed the order's time.
 */
public final class JoinProduct extends TemporalJoin<LineTask, ProductChange, Product> {

    private static final long serialVersionUID = 1L;

    public static final String VERSIONS_STATE = "product-versions";
    public static final String PENDING_STATE = "pending-lines";

    public JoinProduct() {
        super(VERSIONS_STATE, PENDING_STATE, Product.class, TidemarkMetrics.PRODUCT_NOT_FOUND);
    }

    @Override
    LineTask pendingTask(LineTask task) {
        return task;
    }

    @Override
    long eventTime(LineTask task) {
        return task.eventTime();
    }

    @Override
    boolean isDelete(ProductChange change) {
        return change.getOp() == ChangeOp.d;
    }

    @Override
    Product image(ProductChange change) {
        return change.getAfter();
    }

    @Override
    void emit(LineTask task, DimensionVersion<Product> valid, Collector<LineTask> out) {
        EnrichedOrderLine line = task.order.getLines().get(task.lineIndex);
        line.setProductFound(valid != null);
        if (valid != null) {
            line.setProductName(valid.value.getName());
            line.setCategory(valid.value.getCategory());
            line.setListPriceMinor(valid.value.getListPriceMinor());
            line.setProductVersionTsMs(valid.tsMs);
        }
        out.collect(task);
    }
}
