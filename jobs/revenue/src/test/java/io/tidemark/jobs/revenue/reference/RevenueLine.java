package io.tidemark.jobs.revenue.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.schemas.AvroJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Explodes enriched orders (canonical JSON lines of {@code orders-enriched}) into their lines.
     * Reads the JSON directly, not through the job's classes.
     */
    public static List<RevenueLine> explode(List<String> enrichedOrders) {
        List<RevenueLine> lines = new ArrayList<>(enrichedOrders.size() * 3);
        for (String json : enrichedOrders) {
            JsonNode order;
            try {
                order = AvroJson.MAPPER.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + json, e);
            }
            String orderId = order.get("orderId").asText();
            long eventTime = AvroJson.parseInstant(order.get("eventTime").asText());
            String currency = order.get("currency").asText();
            String region =
                    order.path("customerFound").asBoolean(false)
                                    && order.path("customerRegion").isTextual()
                            ? order.get("customerRegion").asText()
                            : UNKNOWN;
            for (JsonNode line : order.get("lines")) {
                String category =
                        line.path("productFound").asBoolean(false)
                                        && line.path("category").isTextual()
                                ? line.get("category").asText()
                                : UNKNOWN;
                long quantity = line.get("quantity").asLong();
                long amount = Math.multiplyExact(quantity, line.get("unitPriceMinor").asLong());
                lines.add(
                        new RevenueLine(
                                orderId, eventTime, category, region, currency, quantity, amount));
            }
        }
        return lines;
    }
}
