package io.tidemark.jobs.revenue.functions;

/**
 * The revenue job's last line of defence against {@code long} overflow: exact arithmetic that
 * saturates instead of throwing. Orders are validated against amount bounds at ingest ({@code
 * OrderSpec}, reason {@code AMOUNT_OVERFLOW}), which keep every window sum some millions of orders
 * away from the limit; should a sum reach it anyway (e.g. records that an older job version
 * validated, fed back by a backfill), an exception here would fail the job, restart it from the
 * last checkpoint and fail again on the same record, forever.
 *
 * <p>Every value added is a count or an amount that validation guarantees not negative, so a
 * saturated sum is {@code min(Long.MAX_VALUE, exact sum)}: the same whatever order the values are
 * added or merged in, and {@link Long#MAX_VALUE} in an output means "at least this much".
 */
public final class Amounts {

    /** What a saturated sum reads. */
    public static final long SATURATED = Long.MAX_VALUE;

    private Amounts() {}

    /**
     * {@code a + b}, or {@link Long#MAX_VALUE} / {@link Long#MIN_VALUE} where it would overflow.
     */
    public static long plus(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    /**
     * {@code a × b}, or {@link Long#MAX_VALUE} / {@link Long#MIN_VALUE} where it would overflow.
     */
    public static long times(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
            return low;
        }
        return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
}
