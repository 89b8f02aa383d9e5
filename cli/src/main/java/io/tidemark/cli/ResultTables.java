package io.tidemark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.RevenueAggregate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The committed results of a replay as short readable rows, as the demo shows them: one row per
 * session, enriched order or revenue window (canonical JSON for anything else), then the late and
 * DLQ counts.
 */
final class ResultTables {

    private static final DateTimeFormatter DAY_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private static final String ORDER_ROW = "  %-10s %-24s %-10s %-7s %13s  %s%n";
    private static final String REVENUE_ROW = "  %-22s %-12s %-7s %-9s %6s %6s %14s%n";

    private ResultTables() {}

    /** Every output (named when there are several), at most {@code maxRows} rows each. */
    static void print(PrintWriter out, ReplayResult result, int maxRows) {
        boolean named = result.outputs().size() > 1;
        for (Map.Entry<String, List<String>> output : result.outputs().entrySet()) {
            if (named) {
                out.printf("  %s:%n", output.getKey());
            }
            printRows(out, output.getValue(), maxRows);
        }
        out.printf("  %d late, %s%n", result.late().size(), dlq(result));
    }

    private static String dlq(ReplayResult result) {
        if (result.dlq().isEmpty()) {
            return "0 DLQ";
        }
        return result.dlq().size()
                + " DLQ ("
                + result.dlqReasons().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "))
                + ")";
    }

    private static void printRows(PrintWriter out, List<String> lines, int maxRows) {
        List<JsonNode> nodes = new ArrayList<>(lines.size());
        for (String line : lines) {
            nodes.add(parse(line));
        }
        if (nodes.isEmpty()) {
            out.println("  (none)");
            return;
        }
        JsonNode first = nodes.get(0);
        if (first.has("orderId") && first.has("lines")) {
            out.printf(ORDER_ROW, "ORDER", "EVENT TIME", "CUSTOMER", "REGION", "TOTAL", "ITEMS");
        } else if (first.has("windowStart")) {
            printRevenueHeader(out);
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (i == maxRows) {
                out.printf("  ... and %d more%n", nodes.size() - maxRows);
                break;
            }
            out.print(row(nodes.get(i), lines.get(i)));
        }
    }

    /** One result as a row; its canonical JSON when it is of no known kind. */
    private static String row(JsonNode node, String line) {
        if (node.has("sessionId")) {
            return String.format(
                    "  %-36s %3d events %6.1f min  products %-20s %s%n",
                    node.get("sessionId").asText(),
                    node.get("events").asLong(),
                    node.get("durationMs").asLong() / 60_000.0,
                    node.get("products"),
                    node.get("converted").asBoolean() ? "converted" : "");
        }
        if (node.has("orderId") && node.has("lines")) {
            return enrichedOrder(node);
        }
        if (node.has("windowStart")) {
            return revenue(node);
        }
        return "  " + line + "\n";
    }

    private static String enrichedOrder(JsonNode order) {
        String currency = order.get("currency").asText();
        long totalMinor = 0;
        List<String> items = new ArrayList<>();
        for (JsonNode line : order.get("lines")) {
            long quantity = line.get("quantity").asLong();
            totalMinor += quantity * line.get("unitPriceMinor").asLong();
            String product = line.get("productId").asText();
            items.add(
                    line.get("productFound").asBoolean()
                            ? String.format(
                                    "%d× %s %s (%s)",
                                    quantity,
                                    product,
                                    line.get("productName").asText(),
                                    line.get("category").asText())
                            : String.format("%d× %s (no product version)", quantity, product));
        }
        boolean customerFound = order.get("customerFound").asBoolean();
        return String.format(
                ORDER_ROW,
                order.get("orderId").asText(),
                order.get("eventTime").asText(),
                order.get("customerId").asText(),
                customerFound ? order.get("customerRegion").asText() : "(none)",
                amount(totalMinor, currency) + " " + currency,
                String.join(", ", items));
    }

    private static String revenue(JsonNode window) {
        return revenueRow(
                Instant.parse(window.get("windowStart").asText()),
                Instant.parse(window.get("windowEnd").asText()),
                window.get("category").asText(),
                window.get("region").asText(),
                window.get("currency").asText(),
                window.get("orders").asLong(),
                window.get("units").asLong(),
                window.get("revenueMinor").asLong());
    }

    /**
     * Revenue windows read from the read model, in the rows the demo shows for the revenue topics,
     * at most {@code maxRows}; {@code (none)} when there are none.
     */
    static void printRevenue(PrintWriter out, List<RevenueAggregate> windows, int maxRows) {
        if (windows.isEmpty()) {
            out.println("  (none)");
            return;
        }
        printRevenueHeader(out);
        for (int i = 0; i < windows.size(); i++) {
            if (i == maxRows) {
                out.printf("  ... and %d more%n", windows.size() - maxRows);
                break;
            }
            RevenueAggregate w = windows.get(i);
            out.print(
                    revenueRow(
                            w.getWindowStart(),
                            w.getWindowEnd(),
                            w.getCategory(),
                            w.getRegion(),
                            w.getCurrency(),
                            w.getOrders(),
                            w.getUnits(),
                            w.getRevenueMinor()));
        }
    }

    private static void printRevenueHeader(PrintWriter out) {
        out.printf(
                REVENUE_ROW,
                "WINDOW (UTC)",
                "CATEGORY",
                "REGION",
                "CURRENCY",
                "ORDERS",
                "UNITS",
                "REVENUE");
    }

    private static String revenueRow(
            Instant start,
            Instant end,
            String category,
            String region,
            String currency,
            long orders,
            long units,
            long revenueMinor) {
        return String.format(
                REVENUE_ROW,
                DAY_TIME.format(start) + "-" + TIME.format(end),
                category,
                region,
                currency,
                orders,
                units,
                amount(revenueMinor, currency));
    }

    /** Minor units in the currency's major unit: 8000 EUR → 80.00; as they are if unknown. */
    static String amount(long minor, String currency) {
        int digits;
        try {
            digits = Currency.getInstance(currency).getDefaultFractionDigits();
        } catch (IllegalArgumentException e) {
            digits = -1;
        }
        return digits < 0 ? minor + " minor" : BigDecimal.valueOf(minor, digits).toPlainString();
    }

    private static JsonNode parse(String line) {
        try {
            return AvroJson.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
