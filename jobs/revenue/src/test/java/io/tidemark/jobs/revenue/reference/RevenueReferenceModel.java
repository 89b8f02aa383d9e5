package io.tidemark.jobs.revenue.reference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.common.schemas.AvroJson;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The revenue rules in plain Java, with no Flink: group enriched order lines by (category, region,
 * currency) and epoch-aligned tumbling window {@code [start, start + size)}, and per group count
 * the distinct orders, sum the quantities and sum {@code quantity × unitPriceMinor}. Empty groups
 * produce nothing.
 *
 * <p>Applied to the lines directly with a window of one hour it gives what the job's cascaded
 * rollup must equal.
 */
public final class RevenueReferenceModel {

    private RevenueReferenceModel() {}

    /**
     * The results per output key {@code category|region|currency|windowStart}, each in the job's
     * canonical JSON form.
     */
    public static SortedMap<String, String> aggregate(List<RevenueLine> lines, Duration window) {
        long size = window.toMillis();
        if (size <= 0) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        Map<Group, Sums> groups = new HashMap<>();
        for (RevenueLine line : lines) {
            long start = Math.floorDiv(line.eventTimeMs(), size) * size;
            Sums sums =
                    groups.computeIfAbsent(
                            new Group(line.category(), line.region(), line.currency(), start),
                            g -> new Sums());
            sums.orderIds.add(line.orderId());
            sums.units = Math.addExact(sums.units, line.quantity());
            sums.revenueMinor = Math.addExact(sums.revenueMinor, line.amountMinor());
        }
        SortedMap<String, String> results = new TreeMap<>();
        groups.forEach(
                (g, s) ->
                        results.put(
                                key(g.category, g.region, g.currency, g.windowStart),
                                canonical(
                                        g.category,
                                        g.region,
                                        g.currency,
                                        g.windowStart,
                                        g.windowStart + size,
                                        s.orderIds.size(),
                                        s.units,
                                        s.revenueMinor)));
        return results;
    }

    /** The job's output key. */
    public static String key(String category, String region, String currency, long windowStart) {
        return category + "|" + region + "|" + currency + "|" + AvroJson.formatInstant(windowStart);
    }

    /** A result in the canonical JSON of {@code RevenueAggregate}. */
    public static String canonical(
            String category,
            String region,
            String currency,
            long windowStart,
            long windowEnd,
            long orders,
            long units,
            long revenueMinor) {
        ObjectNode node = AvroJson.MAPPER.createObjectNode();
        node.put("category", category);
        node.put("currency", currency);
        node.put("orders", orders);
        node.put("region", region);
        node.put("revenueMinor", revenueMinor);
        node.put("units", units);
        node.put("windowEnd", AvroJson.formatInstant(windowEnd));
        node.put("windowStart", AvroJson.formatInstant(windowStart));
        return AvroJson.canonical(node);
    }

    /** Output lines (sorted by key, as Replay returns them) as a map by output key. */
    public static SortedMap<String, String> byKey(List<String> outputLines) {
        SortedMap<String, String> byKey = new TreeMap<>();
        for (String line : outputLines) {
            try {
                String key = outputKey(AvroJson.MAPPER.readTree(line));
                if (byKey.put(key, line) != null) {
                    throw new IllegalStateException("two results for key " + key);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return byKey;
    }

    /** The output key of a result line: {@code category|region|currency|windowStart}. */
    public static String outputKey(com.fasterxml.jackson.databind.JsonNode n) {
        return n.get("category").asText()
                + "|"
                + n.get("region").asText()
                + "|"
                + n.get("currency").asText()
                + "|"
                + n.get("windowStart").asText();
    }

    private record Group(String category, String region, String currency, long windowStart) {}

    private static final class Sums {
        final Set<String> orderIds = new HashSet<>();
        long units;
        long revenueMinor;
    }
}
