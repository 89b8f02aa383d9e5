package io.tidemark.common.joins.functions;

import io.tidemark.common.runtime.record.RecordSpec;
import io.tidemark.common.schemas.CustomerChange;

/** Customer change events: event time is {@code ts_ms}; the image must fit the op. */
public final class CustomerChangeSpec implements RecordSpec<CustomerChange> {

    private static final long serialVersionUID = 1L;

    @Override
    public Class<CustomerChange> type() {
        return CustomerChange.class;
    }

    @Override
    public Long eventTime(CustomerChange change) {
        return change.getTsMs();
    }

    @Override
    public String invalidFieldMessage(CustomerChange change) {
        String shape =
                ChangeOps.shapeViolation(change.getOp(), change.getBefore(), change.getAfter());
        if (shape != null) {
            return shape;
        }
        return customerId(change).isEmpty() ? "customerId is empty" : null;
    }

    /** The id of the changed row: from the after image, or the before image of a delete. */
    public static String customerId(CustomerChange change) {
        return change.getAfter() != null
                ? change.getAfter().getCustomerId()
                : change.getBefore().getCustomerId();
    }
}
