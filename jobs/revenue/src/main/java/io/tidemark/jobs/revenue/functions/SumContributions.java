package io.tidemark.jobs.revenue.functions;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental sums of the 1-minute windows; overflow fails loudly rather than wrapping. */
public final class SumContributions
        implements AggregateFunction<Contribution, RevenueSums, RevenueSums> {

    private static final long serialVersionUID = 1L;

    @Override
    public RevenueSums createAccumulator() {
        return new RevenueSums();
    }

    @Override
    public RevenueSums add(Contribution c, RevenueSums sums) {
        return sums.add(c.category, c.region, c.currency, c.orders, c.units, c.revenueMinor);
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
