package io.tidemark.jobs.revenue.functions;

import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The constant-size state of one window: its group and three exact sums, which saturate at {@link
 * Long#MAX_VALUE} rather than throw ({@link Amounts}).
 */
public class RevenueSums extends GroupTotals {

    public RevenueSums() {}

    /** Adds to these sums, taking the group from the first value added. */
    RevenueSums add(
            String category,
            String region,
            String currency,
            long orders,
            long units,
            long revenueMinor) {
        if (this.category == null) {
            this.category = category;
            this.region = region;
            this.currency = currency;
        }
        // Saturating, never throwing: an exception here would be a restart loop (see Amounts).
        this.orders = Amounts.plus(this.orders, orders);
        this.units = Amounts.plus(this.units, units);
        this.revenueMinor = Amounts.plus(this.revenueMinor, revenueMinor);
        return this;
    }

    /** Both sums together; the group is the same on both sides of a window merge. */
    static RevenueSums merge(RevenueSums a, RevenueSums b) {
        RevenueSums merged = new RevenueSums();
        merged.add(a.category, a.region, a.currency, a.orders, a.units, a.revenueMinor);
        if (b.category != null) {
            merged.add(b.category, b.region, b.currency, b.orders, b.units, b.revenueMinor);
        }
        return merged;
    }

    public static TypeInformation<RevenueSums> typeInfo() {
        return typeInfo(RevenueSums.class);
    }
}
