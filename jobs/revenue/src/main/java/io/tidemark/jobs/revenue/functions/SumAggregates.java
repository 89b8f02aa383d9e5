package io.tidemark.jobs.revenue.functions;

import io.tidemark.common.schemas.RevenueAggregate;

/** Incremental sums of the rollup windows over finer window results. */
public final class SumAggregates extends SumsOf<RevenueAggregate> {

    private static final long serialVersionUID = 1L;

    @Override
    public RevenueSums add(RevenueAggregate a, RevenueSums sums) {
        return sums.add(
                a.getCategory(),
                a.getRegion(),
                a.getCurrency(),
                a.getOrders(),
                a.getUnits(),
                a.getRevenueMinor());
    }
}
