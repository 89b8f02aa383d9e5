package io.tidemark.common.testing.scenario;

import io.tidemark.common.local.OrderGenerator;
import java.util.List;
import java.util.Map;

/** The inputs of the shop jobs (enrichment, revenue) by role, as a replay takes them. */
public final class ShopInputs {

    private ShopInputs() {}

    /** Generated orders, products and customers under the roles the shop jobs read them as. */
    public static Map<String, List<String>> of(OrderGenerator.Output shop) {
        return Map.of(
                "orders", shop.orders(),
                "products", shop.products(),
                "customers", shop.customers());
    }
}
