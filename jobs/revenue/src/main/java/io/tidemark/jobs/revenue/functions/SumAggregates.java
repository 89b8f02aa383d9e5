package io.tidemark.jobs.revenue.functions;

import io.tidemark.common.schemas.RevenueAggregate;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental sums of the rollup windows over finer window results. */
public final class SumAggregates
        implements AggregateFunction<RevenueAggregate, RevenueSums, RevenueSums> {

    private static final long serialVersionUID = 1L;

    @Override
    public RevenueSums createAccumulator() {
        return new RevenueSums();
    }

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

    @Override
    public RevenueSums getResult(RevenueSums sums) {
        return sums;
    }

    @Override
    public RevenueSums merge(RevenueSums a, RevenueSums b) {
        return RevenueSums.merge(a, b);
    }
}
