package io.tidemark.jobs.sessionization.functions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The running summary of one session window: constant size except for the distinct product ids the
 * session touched. Every field merges order-free (min, max, sums, sorted set union), so the result
 * does not depend on the order clicks arrive or windows merge.
 */
public class SessionAccumulator {

    public long start = Long.MAX_VALUE;
    public long end = Long.MIN_VALUE;
    public long events;
    public long pageViews;
    public long productViews;
    public long addToCarts;
    public long checkouts;

    /** Sorted, distinct. */
    public List<String> products = new ArrayList<>();

    public SessionAccumulator() {}

    /** Declared Flink type (no Kryo): a POJO whose list field is a list of strings. */
    public static TypeInformation<SessionAccumulator> typeInfo() {
        Map<String, TypeInformation<?>> fields = new HashMap<>();
        fields.put("start", Types.LONG);
        fields.put("end", Types.LONG);
        fields.put("events", Types.LONG);
        fields.put("pageViews", Types.LONG);
        fields.put("productViews", Types.LONG);
        fields.put("addToCarts", Types.LONG);
        fields.put("checkouts", Types.LONG);
        fields.put("products", Types.LIST(Types.STRING));
        return Types.POJO(SessionAccumulator.class, fields);
    }
}
