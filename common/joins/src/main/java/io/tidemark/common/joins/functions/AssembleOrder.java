package io.tidemark.common.joins.functions;

import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.EnrichedOrderLine;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Puts an order's enriched lines back together, keyed by the order's source reference, and emits
 * the order once every line has arrived; its state is then cleared. Lines are placed by index, so
 * the result does not depend on the order they arrive in.
 */
public final class AssembleOrder extends KeyedProcessFunction<String, LineTask, EnrichedOrder> {

    private static final long serialVersionUID = 1L;

    public static final String PARTIAL_STATE = "partial-order";
    public static final String RECEIVED_STATE = "lines-received";

    private transient ValueState<EnrichedOrder> partial;
    private transient ValueState<Integer> received;

    @Override
    public void open(OpenContext openContext) {
        partial =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        PARTIAL_STATE, new AvroTypeInfo<>(EnrichedOrder.class)));
        received =
                getRuntimeContext().getState(new ValueStateDescriptor<>(RECEIVED_STATE, Types.INT));
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
        if (count == lines.size()) {
            partial.clear();
            received.clear();
            out.collect(order);
        } else {
            partial.update(order);
            received.update(count);
        }
    }
}
