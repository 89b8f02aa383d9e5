package io.tidemark.jobs.revenue.functions;

/** Incremental sums of the 1-minute windows; overflow fails loudly rather than wrapping. */
public final class SumContributions extends SumsOf<Contribution> {

    private static final long serialVersionUID = 1L;

    @Override
    public RevenueSums add(Contribution c, RevenueSums sums) {
        return sums.add(c.category, c.region, c.currency, c.orders, c.units, c.revenueMinor);
    }
}
