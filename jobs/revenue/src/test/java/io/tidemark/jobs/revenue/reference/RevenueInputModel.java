package io.tidemark.jobs.revenue.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.schemas.AvroJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The part of the rules before the windows, in plain Java and from the raw JSON Lines inputs:
 * validation of orders, the per-partition lateness rule with bound {@code B}, the dedup of orders
 * by orderId (sorted by event time, partition, offset, the first copy counts and later ones within
 * the horizon of the last counted one are dropped; the job's default horizon), and the temporal
 * join (product and customer version with the greatest {@code ts_ms ≤ order time}; a delete or no
 * version gives {@code unknown}). It shares no code with the job's enrichment stage, so the lines
 * it gives check the stage that feeds both the job and the SQL oracle.
 *
 * <p>Limits: inputs must set {@code _partition} (heartbeats may omit it: then every partition), the
 * Kafka timestamps are the event times (no skew rejections), and change events are valid.
 */
public final class RevenueInputModel {

    /** The job's default dedup horizon ({@code enrichment.dedup-horizon}). */
    public static final long DEDUP_HORIZON_MS = 24 * 3_600_000L;

    /** What the model derives: accepted order lines and the positions of late records. */
    public record Result(List<RevenueLine> lines, List<String> latePositions) {}

    private final long boundMs;
    private final int partitions;
    private final List<String> late = new ArrayList<>();

    private RevenueInputModel(long boundMs, int partitions) {
        this.boundMs = boundMs;
        this.partitions = partitions;
    }

    /**
     * @param inputs role → JSON lines ({@code orders}, {@code products}, {@code customers}), the
     *     topic of each role being named like the role
     * @return lines and late positions as {@code topic/partition/offset}
     */
    public static Result apply(Map<String, List<String>> inputs, long boundMs, int partitions) {
        RevenueInputModel model = new RevenueInputModel(boundMs, partitions);
        Map<String, NavigableMap<Long, Version>> products =
                model.versions("products", inputs.get("products"), "productId");
        Map<String, NavigableMap<Long, Version>> customers =
                model.versions("customers", inputs.get("customers"), "customerId");
        List<RevenueLine> lines = new ArrayList<>();
        for (Accepted order : dedup(model.accepted("orders", inputs.get("orders")))) {
            JsonNode o = order.node;
            long t = order.eventTime;
            Version customer = validAt(customers.get(o.get("customerId").asText()), t);
            String region =
                    customer == null ? RevenueLine.UNKNOWN : customer.after.get("region").asText();
            for (JsonNode line : o.get("lines")) {
                Version product = validAt(products.get(line.get("productId").asText()), t);
                String category =
                        product == null
                                ? RevenueLine.UNKNOWN
                                : product.after.get("category").asText();
                long quantity = line.get("quantity").asLong();
                lines.add(
                        new RevenueLine(
                                o.get("orderId").asText(),
                                t,
                                category,
                                region,
                                o.get("currency").asText(),
                                quantity,
                                Math.multiplyExact(quantity, line.get("unitPriceMinor").asLong())));
            }
        }
        List<String> latePositions = new ArrayList<>(model.late);
        latePositions.sort(null);
        return new Result(lines, latePositions);
    }

    /**
     * The accepted orders that count, in input order: per orderId, sorted by (event time,
     * partition, offset), the first copy and every copy more than the horizon after the last one
     * that counted. (Invalid orders are never accepted: see {@link #accepted}.)
     */
    private static List<Accepted> dedup(List<Accepted> orders) {
        Map<String, List<Accepted>> byId = new HashMap<>();
        for (Accepted order : orders) {
            byId.computeIfAbsent(order.node.get("orderId").asText(), k -> new ArrayList<>())
                    .add(order);
        }
        java.util.Set<Accepted> counted =
                java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (List<Accepted> copies : byId.values()) {
            copies.sort(
                    java.util.Comparator.comparingLong(Accepted::eventTime)
                            .thenComparingInt(Accepted::partition)
                            .thenComparingLong(Accepted::offset));
            Long last = null;
            for (Accepted copy : copies) {
                if (last == null || copy.eventTime - last > DEDUP_HORIZON_MS) {
                    counted.add(copy);
                    last = copy.eventTime;
                }
            }
        }
        return orders.stream().filter(counted::contains).toList();
    }

    /**
     * OrderSpec's rules, written again (field checks and amount bounds); an invalid order goes to
     * the DLQ, not to lateness.
     */
    static boolean validOrder(JsonNode o) {
        if (o.get("orderId").asText().isEmpty()
                || o.get("customerId").asText().isEmpty()
                || !o.get("currency").asText().matches("[A-Z]{3}")
                || o.get("lines").isEmpty()) {
            return false;
        }
        for (JsonNode line : o.get("lines")) {
            if (line.get("productId").asText().isEmpty()
                    || line.get("quantity").asLong() <= 0
                    || line.get("unitPriceMinor").asLong() < 0) {
                return false;
            }
        }
        // The amount bounds (AMOUNT_OVERFLOW), in BigInteger so the model cannot overflow itself.
        BigInteger units = BigInteger.ZERO;
        BigInteger amount = BigInteger.ZERO;
        for (JsonNode line : o.get("lines")) {
            BigInteger quantity = line.get("quantity").bigIntegerValue();
            BigInteger price = line.get("unitPriceMinor").bigIntegerValue();
            BigInteger lineAmount = quantity.multiply(price);
            units = units.add(quantity);
            amount = amount.add(lineAmount);
            if (quantity.compareTo(BigInteger.TEN.pow(6)) > 0
                    || price.compareTo(BigInteger.TEN.pow(12)) > 0
                    || lineAmount.compareTo(BigInteger.TEN.pow(12)) > 0
                    || units.compareTo(BigInteger.TEN.pow(9)) > 0
                    || amount.compareTo(BigInteger.TEN.pow(12)) > 0) {
                return false;
            }
        }
        return true;
    }

    private record Accepted(JsonNode node, long eventTime, int partition, long offset) {}

    private record Version(long tsMs, int partition, long offset, JsonNode after) {}

    /**
     * Records of one topic that pass the lateness rule, in offset order per partition; heartbeats
     * raise their partition's maximum and are dropped. Invalid orders are checked before lateness
     * and never raise the maximum.
     */
    private List<Accepted> accepted(String topic, List<String> jsonLines) {
        long[] offsets = new long[partitions];
        Long[] max = new Long[partitions];
        List<Accepted> accepted = new ArrayList<>();
        for (String text : jsonLines) {
            if (text.isBlank()) {
                continue;
            }
            JsonNode node = read(text);
            boolean heartbeat = "Heartbeat".equals(node.path("_type").asText(null));
            long eventTime =
                    heartbeat || node.has("eventTime")
                            ? AvroJson.parseInstant(node.get("eventTime").asText())
                            : node.get("ts_ms").asLong();
            List<Integer> targets = new ArrayList<>();
            if (node.has("_partition")) {
                targets.add(node.get("_partition").asInt());
            } else if (heartbeat) {
                for (int p = 0; p < partitions; p++) {
                    targets.add(p);
                }
            } else {
                throw new IllegalArgumentException("no _partition: " + text);
            }
            for (int p : targets) {
                long offset = offsets[p]++;
                if (!heartbeat && topic.equals("orders") && !validOrder(node)) {
                    continue; // DLQ: before the classifier, never advances the maximum
                }
                if (max[p] != null && eventTime < max[p] - boundMs) {
                    late.add(topic + "/" + p + "/" + offset);
                    continue;
                }
                if (max[p] == null || eventTime > max[p]) {
                    max[p] = eventTime;
                }
                if (!heartbeat) {
                    accepted.add(new Accepted(node, eventTime, p, offset));
                }
            }
        }
        return accepted;
    }

    /** Accepted change events per row id, by {@code ts_ms}; at equal ts the later event wins. */
    private Map<String, NavigableMap<Long, Version>> versions(
            String topic, List<String> jsonLines, String idField) {
        Map<String, NavigableMap<Long, Version>> byId = new HashMap<>();
        for (Accepted change : accepted(topic, jsonLines)) {
            JsonNode n = change.node;
            boolean delete = "d".equals(n.get("op").asText());
            JsonNode row = delete ? n.get("before") : n.get("after");
            Version v =
                    new Version(
                            change.eventTime, change.partition, change.offset, delete ? null : row);
            byId.computeIfAbsent(row.get(idField).asText(), k -> new TreeMap<>())
                    .merge(
                            v.tsMs,
                            v,
                            (old, now) ->
                                    now.partition > old.partition
                                                    || (now.partition == old.partition
                                                            && now.offset > old.offset)
                                            ? now
                                            : old);
        }
        return byId;
    }

    /** The version valid at {@code t}, or null when there is none or it is a delete. */
    private static Version validAt(NavigableMap<Long, Version> versions, long t) {
        if (versions == null) {
            return null;
        }
        Map.Entry<Long, Version> e = versions.floorEntry(t);
        return e == null || e.getValue().after == null ? null : e.getValue();
    }

    private static JsonNode read(String text) {
        try {
            return AvroJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }
}
