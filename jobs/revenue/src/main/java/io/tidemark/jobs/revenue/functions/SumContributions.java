package io.tidemark.jobs.revenue.functions;

/**
 * Incremental sums of the 1-minute windows; a sum saturates at {@link Long#MAX_VALUE} rather than
 * wrapping or throwing ({@link Amounts}).
 */
public final class SumContributions extends SumsOf<Contribution> {

    private static final long serialVersionUID = 1L;

    @Override
    public RevenueSums add(Contribution c, RevenueSums sums) {
        return sums.add(c.category, c.region, c.currency, c.orders, c.units, c.revenueMinor);
    }
}
