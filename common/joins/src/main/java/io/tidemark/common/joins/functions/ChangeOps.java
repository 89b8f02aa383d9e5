package io.tidemark.common.joins.functions;

import io.tidemark.common.schemas.ChangeOp;

/** The shape rules of a Debezium change event, shared by products and customers. */
final class ChangeOps {

    private ChangeOps() {}

    /** Null when {@code op} fits the presence of {@code before}/{@code after}, else a message. */
    static String shapeViolation(ChangeOp op, Object before, Object after) {
        switch (op) {
            case c, r, u:
                return after == null ? "op '" + op + "' needs an 'after' image" : null;
            case d:
                return before == null ? "op 'd' needs a 'before' image" : null;
            default:
                return "unknown op " + op;
        }
    }
}
