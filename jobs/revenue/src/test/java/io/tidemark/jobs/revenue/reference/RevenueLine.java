package io.tidemark.jobs.revenue.reference;

/**
 * One enriched order line as the revenue rules see it: the group it falls into (category from the
 * product version valid at order time, region from the customer version, {@code unknown} when not
 * found), the order it belongs to, its event time and {@code quantity × unitPriceMinor}.
 */
public record RevenueLine(
        String orderId,
        long eventTimeMs,
        String category,
        String region,
        String currency,
        long quantity,
        long amountMinor) {

    public static final String UNKNOWN = "unknown";
}
