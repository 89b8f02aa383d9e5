package io.tidemark.common.joins.functions;

import io.tidemark.common.runtime.record.RecordSpec;
import io.tidemark.common.schemas.ProductChange;

/** Product change events: event time is {@code ts_ms}; the image must fit the op. */
public final class ProductChangeSpec implements RecordSpec<ProductChange> {

    private static final long serialVersionUID = 1L;

    @Override
    public Class<ProductChange> type() {
        return ProductChange.class;
    }

    @Override
    public Long eventTime(ProductChange change) {
        return change.getTsMs();
    }

    @Override
    public String invalidFieldMessage(ProductChange change) {
        String shape =
                ChangeOps.shapeViolation(change.getOp(), change.getBefore(), change.getAfter());
        if (shape != null) {
            return shape;
        }
        return productId(change).isEmpty() ? "productId is empty" : null;
    }

    /** The id of the changed row: from the after image, or the before image of a delete. */
    public static String productId(ProductChange change) {
        return change.getAfter() != null
                ? change.getAfter().getProductId()
                : change.getBefore().getProductId();
    }
}
