package io.tidemark.common.joins.functions;

import io.tidemark.common.schemas.EnrichedOrder;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * One line of an order on its way through the product join: the order (with its customer part
 * already joined), which line to enrich, and the order's unique source reference ({@code
 * topic/partition/offset}) under which the lines are put back together.
 */
public class LineTask {

    public String ref;
    public int lineIndex;
    public EnrichedOrder order;

    public LineTask() {}

    public static LineTask of(String ref, int lineIndex, EnrichedOrder order) {
        LineTask task = new LineTask();
        task.ref = ref;
        task.lineIndex = lineIndex;
        task.order = order;
        return task;
    }

    public String productId() {
        return order.getLines().get(lineIndex).getProductId();
    }

    public long eventTime() {
        return order.getEventTime().toEpochMilli();
    }

    public static TypeInformation<LineTask> typeInfo() {
        Map<String, TypeInformation<?>> fields = new HashMap<>();
        fields.put("ref", Types.STRING);
        fields.put("lineIndex", Types.INT);
        fields.put("order", new AvroTypeInfo<>(EnrichedOrder.class));
        return Types.POJO(LineTask.class, fields);
    }
}
