package io.tidemark.jobs.revenue.functions;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * What one order adds to one (category, region, currency) group: the order counts once however many
 * of its lines fall into the group, so "distinct orders" stays a plain sum and the window state
 * stays O(1).
 */
public class Contribution {

    public String category;
    public String region;
    public String currency;
    public long orders;
    public long units;
    public long revenueMinor;

    public Contribution() {}

    /** The window key of this contribution's group. */
    public String groupKey() {
        return GroupKey.of(category, region, currency);
    }

    public static TypeInformation<Contribution> typeInfo() {
        Map<String, TypeInformation<?>> fields = new HashMap<>();
        fields.put("category", Types.STRING);
        fields.put("region", Types.STRING);
        fields.put("currency", Types.STRING);
        fields.put("orders", Types.LONG);
        fields.put("units", Types.LONG);
        fields.put("revenueMinor", Types.LONG);
        return Types.POJO(Contribution.class, fields);
    }
}
