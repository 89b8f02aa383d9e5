package io.tidemark.jobs.revenue.functions;

import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.EnrichedOrderLine;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Splits an enriched order into one {@link Contribution} per group its lines fall into: category
 * from the product version valid at order time ({@code unknown} when not found), region from the
 * customer version ({@code unknown} when not found), the order's currency. Amounts are {@code
 * quantity × unitPriceMinor} from the order line, in exact integer arithmetic that saturates
 * instead of throwing ({@link Amounts}).
 */
public final class OrderContributions implements FlatMapFunction<EnrichedOrder, Contribution> {

    private static final long serialVersionUID = 1L;

    public static final String UNKNOWN = "unknown";

    @Override
    public void flatMap(EnrichedOrder order, Collector<Contribution> out) {
        String region =
                order.getCustomerFound() && order.getCustomerRegion() != null
                        ? order.getCustomerRegion()
                        : UNKNOWN;
        // Sorted by category so the emission order is the same in every run.
        Map<String, Contribution> byCategory = new TreeMap<>();
        for (EnrichedOrderLine line : order.getLines()) {
            String category =
                    line.getProductFound() && line.getCategory() != null
                            ? line.getCategory()
                            : UNKNOWN;
            Contribution c =
                    byCategory.computeIfAbsent(
                            category,
                            k -> {
                                Contribution n = new Contribution();
                                n.category = k;
                                n.region = region;
                                n.currency = order.getCurrency();
                                n.orders = 1;
                                return n;
                            });
            // Within OrderSpec's bounds none of this can overflow; saturating arithmetic (Amounts)
            // keeps a record that bypassed them from failing the job on every restart.
            c.units = Amounts.plus(c.units, line.getQuantity());
            c.revenueMinor =
                    Amounts.plus(
                            c.revenueMinor,
                            Amounts.times(line.getQuantity(), line.getUnitPriceMinor()));
        }
        byCategory.values().forEach(out::collect);
    }
}
