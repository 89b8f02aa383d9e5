package io.tidemark.jobs.revenue.functions;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A (category, region, currency) group and its three exact totals in minor units: what one order
 * contributes ({@link Contribution}) and what a window holds ({@link RevenueSums}) have the same
 * shape, and their type information is declared here once (POJO fields, never Kryo).
 */
public abstract class GroupTotals {

    public String category;
    public String region;
    public String currency;
    public long orders;
    public long units;
    public long revenueMinor;

    /** The window key of this group. */
    public String groupKey() {
        return GroupKey.of(category, region, currency);
    }

    /** POJO type information of a subclass that adds no fields. */
    static <T extends GroupTotals> TypeInformation<T> typeInfo(Class<T> type) {
        Map<String, TypeInformation<?>> fields = new HashMap<>();
        fields.put("category", Types.STRING);
        fields.put("region", Types.STRING);
        fields.put("currency", Types.STRING);
        fields.put("orders", Types.LONG);
        fields.put("units", Types.LONG);
        fields.put("revenueMinor", Types.LONG);
        return Types.POJO(type, fields);
    }
}
