package io.tidemark.jobs.revenue.functions;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Incremental sums of a window: the accumulator is the window's whole state, {@link RevenueSums},
 * and the result is the accumulator itself. Subclasses say how one input adds to it.
 */
abstract class SumsOf<T> implements AggregateFunction<T, RevenueSums, RevenueSums> {

    private static final long serialVersionUID = 1L;

    @Override
    public RevenueSums createAccumulator() {
        return new RevenueSums();
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
