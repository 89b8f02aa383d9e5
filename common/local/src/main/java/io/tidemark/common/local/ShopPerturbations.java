package io.tidemark.common.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.SingleObjectCodec;
import io.tidemark.common.schemas.TidemarkSchemas;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Seeded perturbations of a generated shop that exercise the temporal-join rules (enrichment and
 * revenue): orders and dimension changes moved back within B (on time, out of order) and beyond B
 * (late), orders spiking ahead (making later ones late), a heartbeat mid-stream, orders referring
 * to unknown, created-later or deleted products and customers, producer retries (the same order
 * written again to another partition, which the jobs must count once), dimension versions tied on
 * {@code ts_ms} (in the same partition and across partitions), deletes, and bad records of every
 * reason code.
 *
 * <p>The perturbations only produce JSON lines; what the job must make of them is the reference
 * model's business, so nothing here needs to predict the outcome exactly.
 */
public final class ShopPerturbations {

    /** The perturbed inputs and how many of each perturbation were applied. */
    public record Shop(
            List<String> orders,
            List<String> products,
            List<String> customers,
            SortedMap<String, Integer> applied) {

        /** Role → lines, as {@code Replay.run} takes them. */
        public Map<String, List<String>> inputs() {
            return Map.of("orders", orders, "products", products, "customers", customers);
        }
    }

    private static final int ORDER_BAD_KINDS = 14;
    private static final int CHANGE_BAD_KINDS = 8;
    private static final long HOUR = 3_600_000L;

    private final SplittableRandom random;
    private final int partitions;
    private final long boundMs;
    private final int snapshotProducts;
    private final int badPerKind;
    private final SortedMap<String, Integer> applied = new TreeMap<>();

    private ShopPerturbations(
            long seed, int partitions, long boundMs, int snapshotProducts, int badPerKind) {
        this.random = new SplittableRandom(seed);
        this.partitions = partitions;
        this.boundMs = boundMs;
        this.snapshotProducts = snapshotProducts;
        this.badPerKind = badPerKind;
    }

    /**
     * @param badPerKind bad records of each kind written to each topic
     */
    public static Shop apply(
            OrderGenerator.Output shop,
            OrderGenerator.Spec spec,
            long seed,
            long boundMs,
            int badPerKind) {
        ShopPerturbations p =
                new ShopPerturbations(
                        seed, spec.partitions(), boundMs, spec.products(), badPerKind);
        List<String> orders = p.orders(shop.orders());
        List<String> products =
                p.changes(shop.products(), "products", "productId", p::productImage);
        List<String> customers =
                p.changes(shop.customers(), "customers", "customerId", p::customerImage);
        return new Shop(orders, products, customers, new TreeMap<>(p.applied));
    }

    // ---------------------------------------------------------------- orders

    private List<String> orders(List<String> lines) {
        List<ObjectNode> data = new ArrayList<>();
        List<ObjectNode> trailer = new ArrayList<>();
        split(lines, data, trailer);
        Map<Integer, List<Integer>> badAt = schedule(data.size(), ORDER_BAD_KINDS);
        int heartbeatAt = data.size() / 2;
        int created = Math.max(1, snapshotProducts / 20);

        long[] max = new long[partitions];
        boolean[] seen = new boolean[partitions];
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            ObjectNode order = data.get(i);
            int p = order.get("_partition").intValue();
            long t = AvroJson.parseInstant(order.get("eventTime").textValue());
            double u = random.nextDouble();
            if (u < 0.03 && seen[p]) {
                t = max[p] - (random.nextInt(8) == 0 ? boundMs : random.nextLong(boundMs + 1));
                note("orders.movedBackWithinB");
            } else if (u < 0.034 && seen[p]) {
                t = max[p] - boundMs - 1 - (random.nextInt(4) == 0 ? 0 : random.nextLong(600_000));
                note("orders.movedBackBeyondB");
            } else if (u < 0.0345) {
                t += 15_000 + random.nextLong(30_000);
                note("orders.spikedAhead");
            }
            order.put("eventTime", AvroJson.formatInstant(t));
            track(max, seen, p, t);

            if (random.nextDouble() < 0.005) {
                order.put("customerId", "cust-x" + i);
                note("orders.unknownCustomer");
            }
            ArrayNode orderLines = (ArrayNode) order.get("lines");
            double v = random.nextDouble();
            if (v < 0.005) {
                ((ObjectNode) orderLines.get(random.nextInt(orderLines.size())))
                        .put("productId", "p-x" + i);
                note("orders.unknownProduct");
            } else if (v < 0.02) {
                String id = pad("p-", snapshotProducts + 1 + random.nextInt(created));
                boolean present = false;
                for (JsonNode line : orderLines) {
                    present |= line.get("productId").textValue().equals(id);
                }
                if (!present) {
                    ((ObjectNode) orderLines.get(random.nextInt(orderLines.size())))
                            .put("productId", id);
                    note("orders.createdProduct");
                }
            }
            out.add(order);
            if (partitions > 1 && i % 97 == 41) {
                // A producer retry: the same order again, to the next partition (chosen by index,
                // not by the random stream, so every other perturbation stays where it was).
                ObjectNode retry = order.deepCopy();
                int q = (p + 1) % partitions;
                retry.put("_partition", q);
                track(max, seen, q, t);
                out.add(retry);
                note("orders.retryInOtherPartition");
            }

            if (i == heartbeatAt) {
                ObjectNode heartbeat = AvroJson.MAPPER.createObjectNode();
                heartbeat.put("_type", "Heartbeat");
                heartbeat.put("_partition", p);
                long hb = max[p] + 20_000;
                heartbeat.put("eventTime", AvroJson.formatInstant(hb));
                track(max, seen, p, hb);
                out.add(heartbeat);
                note("orders.heartbeatMidStream");
            }
            for (int kind : badAt.getOrDefault(i, List.of())) {
                out.add(badOrder(kind, order, t, i));
                note("orders.bad." + kind);
            }
        }
        out.addAll(trailer);
        return write(out);
    }

    private ObjectNode badOrder(int kind, ObjectNode template, long t, int i) {
        ObjectNode order = template.deepCopy();
        order.put("orderId", "o-bad-" + i + "-" + kind);
        order.put("_partition", random.nextInt(partitions));
        ArrayNode lines = (ArrayNode) order.get("lines");
        switch (kind) {
            case 0 -> {
                ObjectNode raw = control(order);
                raw.put("_raw", "{\"orderId\": \"not avro\"}");
                raw.put("_key", "o-bad-" + i + "-" + kind);
                raw.put("_timestamp", t);
                return raw;
            }
            case 1 -> {
                byte[] bytes = encode(order, "Order");
                ObjectNode raw = control(order);
                raw.put(
                        "_rawBase64",
                        Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, bytes.length - 7)));
                raw.put("_key", "o-bad-" + i + "-" + kind);
                raw.put("_timestamp", t);
                return raw;
            }
            case 2 -> {
                ObjectNode change = control(order);
                change.put("_type", "CustomerChange");
                change.put("op", "r");
                change.set("after", customerImage(1));
                change.put("ts_ms", t);
                return change;
            }
            case 3 -> order.putNull("_key");
            case 4 -> order.put("orderId", "");
            case 5 -> {
                order.putNull("eventTime");
                order.put("_timestamp", t);
            }
            case 6 -> {
                order.put("eventTime", AvroJson.formatInstant(t + 3 * HOUR));
                order.put("_timestamp", t);
            }
            case 7 -> order.put("currency", "eur");
            case 8 -> ((ObjectNode) lines.get(0)).put("quantity", 0);
            case 9 -> lines.removeAll();
            case 10 -> order.put("customerId", "");
            case 11 -> ((ObjectNode) lines.get(0)).put("unitPriceMinor", -1);
            case 12 -> {
                ObjectNode heartbeat = control(order);
                heartbeat.put("_type", "Heartbeat");
                heartbeat.put("eventTime", AvroJson.formatInstant(t + 3 * HOUR));
                heartbeat.put("_timestamp", t);
                return heartbeat;
            }
            case 13 -> ((ObjectNode) lines.get(lines.size() - 1)).put("productId", "");
            default -> throw new IllegalArgumentException("kind " + kind);
        }
        return order;
    }

    // ---------------------------------------------------------------- changelogs

    private List<String> changes(
            List<String> lines, String topic, String idField, IntFunction<ObjectNode> image) {
        List<ObjectNode> data = new ArrayList<>();
        List<ObjectNode> trailer = new ArrayList<>();
        split(lines, data, trailer);
        Map<Integer, List<Integer>> badAt = schedule(data.size(), CHANGE_BAD_KINDS);

        long[] max = new long[partitions];
        boolean[] seen = new boolean[partitions];
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            ObjectNode change = data.get(i);
            int p = change.get("_partition").intValue();
            long t = change.get("ts_ms").longValue();
            String op = change.get("op").textValue();
            if (!op.equals("r") && seen[p]) {
                double u = random.nextDouble();
                if (u < 0.03) {
                    t = max[p] - (random.nextInt(8) == 0 ? boundMs : random.nextLong(boundMs + 1));
                    note(topic + ".movedBackWithinB");
                } else if (u < 0.04) {
                    t = max[p] - boundMs - 1 - random.nextLong(600_000);
                    note(topic + ".movedBackBeyondB");
                }
            }
            change.put("ts_ms", t);
            track(max, seen, p, t);
            out.add(change);

            JsonNode after = change.get("after");
            if (!op.equals("r") && after != null && after.isObject()) {
                double v = random.nextDouble();
                if (v < 0.035) {
                    // A second version at the same ts_ms: in the same partition it comes later and
                    // wins; in another partition the higher partition wins.
                    ObjectNode tie = change.deepCopy();
                    int q = v < 0.02 ? p : (p + 1) % partitions;
                    tie.put("_partition", q);
                    tie.put("op", "u");
                    tie.set("before", after.deepCopy());
                    tie.set("after", modified((ObjectNode) after, idField));
                    track(max, seen, q, t);
                    out.add(tie);
                    note(topic + (q == p ? ".tieSamePartition" : ".tieOtherPartition"));
                } else if (v < 0.045) {
                    ObjectNode delete = change.deepCopy();
                    long td = t + 1 + random.nextLong(boundMs);
                    delete.put("op", "d");
                    delete.set("before", after.deepCopy());
                    delete.putNull("after");
                    delete.put("ts_ms", td);
                    track(max, seen, p, td);
                    out.add(delete);
                    note(topic + ".deleted");
                }
            }
            for (int kind : badAt.getOrDefault(i, List.of())) {
                out.add(badChange(kind, t, i, idField, image.apply(1)));
                note(topic + ".bad." + kind);
            }
        }
        out.addAll(trailer);
        return write(out);
    }

    private ObjectNode badChange(int kind, long t, int i, String idField, ObjectNode image) {
        ObjectNode change = AvroJson.MAPPER.createObjectNode();
        change.put("_partition", random.nextInt(partitions));
        change.put("op", "u");
        change.set("before", image.deepCopy());
        change.set("after", image.deepCopy());
        change.put("ts_ms", t);
        switch (kind) {
            case 0 -> {
                ObjectNode raw = control(change);
                raw.put("_raw", "garbage " + i);
                raw.put("_key", image.get(idField).textValue());
                raw.put("_timestamp", t);
                return raw;
            }
            case 1 -> {
                change.remove("ts_ms");
                change.put("_timestamp", t);
            }
            case 2 -> {
                change.put("op", "d");
                change.putNull("before");
            }
            case 3 -> change.putNull("after");
            case 4 -> {
                ((ObjectNode) change.get("after")).put(idField, "");
                change.put("_key", "empty-id-" + i);
            }
            case 5 -> {
                ObjectNode order = control(change);
                order.put("_type", "Order");
                order.put("orderId", "o-mismatch-" + i);
                order.put("customerId", "cust-0001");
                order.put("eventTime", AvroJson.formatInstant(t));
                order.put("currency", "EUR");
                order.putArray("lines")
                        .addObject()
                        .put("productId", "p-0001")
                        .put("quantity", 1)
                        .put("unitPriceMinor", 100);
                return order;
            }
            case 6 -> {
                change.put("ts_ms", t + 2 * HOUR);
                change.put("_timestamp", t);
            }
            case 7 -> change.putNull("_key");
            default -> throw new IllegalArgumentException("kind " + kind);
        }
        return change;
    }

    private ObjectNode productImage(int number) {
        ObjectNode product = AvroJson.MAPPER.createObjectNode();
        product.put("productId", pad("p-", number));
        product.put("name", "bad record product");
        product.put("category", "books");
        product.put("listPriceMinor", 1);
        return product;
    }

    private ObjectNode customerImage(int number) {
        ObjectNode customer = AvroJson.MAPPER.createObjectNode();
        customer.put("customerId", pad("cust-", number));
        customer.put("segment", "vip");
        customer.put("region", "APAC");
        return customer;
    }

    private ObjectNode modified(ObjectNode image, String idField) {
        ObjectNode copy = image.deepCopy();
        if (idField.equals("productId")) {
            copy.put(
                    "listPriceMinor",
                    copy.get("listPriceMinor").longValue() + 1 + random.nextInt(50));
            copy.put("name", copy.get("name").textValue() + " (tie)");
        } else {
            copy.put("segment", copy.get("segment").textValue() + "-tie");
        }
        return copy;
    }

    // ---------------------------------------------------------------- helpers

    /** Positions after which bad records go: {@code badPerKind} of each kind, spread at random. */
    private Map<Integer, List<Integer>> schedule(int size, int kinds) {
        Map<Integer, List<Integer>> at = new HashMap<>();
        for (int kind = 0; kind < kinds; kind++) {
            for (int j = 0; j < badPerKind; j++) {
                at.computeIfAbsent(random.nextInt(Math.max(1, size)), k -> new ArrayList<>())
                        .add(kind);
            }
        }
        return at;
    }

    private void track(long[] max, boolean[] seen, int p, long t) {
        if (!seen[p]) {
            seen[p] = true;
            max[p] = t;
        } else if (t >= max[p] - boundMs && t > max[p]) {
            max[p] = t;
        }
    }

    private static void split(List<String> lines, List<ObjectNode> data, List<ObjectNode> trailer) {
        for (String line : lines) {
            ObjectNode node = parse(line);
            if (node.has("_type") && node.get("_type").textValue().equals("Heartbeat")) {
                trailer.add(node);
            } else {
                if (!trailer.isEmpty()) {
                    throw new IllegalArgumentException("heartbeats expected only at the end");
                }
                data.add(node);
            }
        }
    }

    /** A copy without the record's fields, keeping only the control fields. */
    private static ObjectNode control(ObjectNode node) {
        ObjectNode out = AvroJson.MAPPER.createObjectNode();
        node.fields()
                .forEachRemaining(
                        e -> {
                            if (e.getKey().startsWith("_")) {
                                out.set(e.getKey(), e.getValue());
                            }
                        });
        return out;
    }

    private static byte[] encode(ObjectNode node, String type) {
        var schema = TidemarkSchemas.schema(type);
        return SingleObjectCodec.encodeGeneric(AvroJson.fromJson(node, schema), schema);
    }

    private static String pad(String prefix, int number) {
        return prefix + String.format("%04d", number);
    }

    private void note(String what) {
        applied.merge(what, 1, Integer::sum);
    }

    private static ObjectNode parse(String line) {
        try {
            return (ObjectNode) AvroJson.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> write(List<ObjectNode> nodes) {
        List<String> lines = new ArrayList<>(nodes.size());
        for (ObjectNode node : nodes) {
            try {
                lines.add(AvroJson.MAPPER.writeValueAsString(node));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return lines;
    }
}
