package io.tidemark.jobs.enrichment.reference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.SingleObjectCodec;
import io.tidemark.common.schemas.TidemarkSchemas;
import io.tidemark.common.testing.scenario.DlqEntry;
import io.tidemark.common.testing.scenario.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the enrichment job must commit for given topic contents, computed in plain Java from the
 * records of the three input topics, without Flink and without the job's code.
 *
 * <p>The rules, as the design and the job's specs state them:
 *
 * <ol>
 *   <li><b>Validation</b>, in this order: the value must be Avro single-object encoded ({@code
 *       DESERIALIZATION_FAILED}) with the topic's schema ({@code SCHEMA_MISMATCH}); a heartbeat is
 *       only checked for skew; a record needs a non-empty key ({@code MISSING_KEY}), an event time
 *       ({@code MISSING_EVENT_TIME}) at most 1 h ahead of its Kafka timestamp ({@code
 *       EVENT_TIME_SKEW}) and valid fields ({@code INVALID_FIELD}).
 *   <li><b>Lateness</b> per (topic, partition) in offset order: late ⇔ {@code eventTime < max − B}
 *       where {@code max} is the greatest event time of earlier on-time records and heartbeats of
 *       that partition. A heartbeat is never late: it only raises the maximum and is dropped.
 *       Invalid records never count.
 *   <li><b>Join</b>: an on-time order at {@code t} takes the on-time customer version with the
 *       greatest {@code ts_ms ≤ t}, each line the product version likewise; at equal {@code ts_ms}
 *       the greater (partition, offset) wins; a delete, or no version, means not found.
 * </ol>
 *
 * <p>Offsets are positions within a partition: the topics are fresh and written by one
 * non-transactional producer, so the {@code n}-th record of a partition has offset {@code n}.
 */
public final class EnrichmentReferenceModel {

    /** The job's defaults: {@code event-time.out-of-orderness} and skew ahead. */
    public static final long DEFAULT_BOUND_MS = 2_000;

    public static final long DEFAULT_MAX_SKEW_AHEAD_MS = 3_600_000;

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    /**
     * The expected committed result.
     *
     * @param output canonical EnrichedOrder JSON, one line per order, sorted by orderId
     * @param late positions of late records
     * @param dlq positions and reason codes of bad records
     * @param stats counts that show which rules the input exercised
     */
    public record Result(
            List<String> output,
            SortedSet<Position> late,
            SortedSet<DlqEntry> dlq,
            SortedMap<String, Long> stats) {}

    private final long boundMs;
    private final long maxSkewAheadMs;
    private final SortedMap<String, Long> stats = new TreeMap<>();

    private EnrichmentReferenceModel(long boundMs, long maxSkewAheadMs) {
        this.boundMs = boundMs;
        this.maxSkewAheadMs = maxSkewAheadMs;
    }

    /** The result for JSON Lines inputs as {@link JsonLinesLoader} would write them. */
    public static Result ofLines(
            List<String> orders,
            List<String> products,
            List<String> customers,
            int partitions,
            long boundMs,
            long maxSkewAheadMs) {
        return of(
                JsonLinesLoader.toRecords(orders, "orders", "orders", "Order", partitions),
                JsonLinesLoader.toRecords(
                        products, "products", "products", "ProductChange", partitions),
                JsonLinesLoader.toRecords(
                        customers, "customers", "customers", "CustomerChange", partitions),
                boundMs,
                maxSkewAheadMs);
    }

    /** The result for the three topics' records, each list in the order they were written. */
    public static Result of(
            List<ProducerRecord<byte[], byte[]>> orders,
            List<ProducerRecord<byte[], byte[]>> products,
            List<ProducerRecord<byte[], byte[]>> customers,
            long boundMs,
            long maxSkewAheadMs) {
        return new EnrichmentReferenceModel(boundMs, maxSkewAheadMs)
                .run(orders, products, customers);
    }

    // ---------------------------------------------------------------- records in, classified

    private enum Kind {
        DATA,
        HEARTBEAT,
        BAD
    }

    /** One input record after validation and lateness. */
    private static final class In {
        Position position;
        long recordTimestamp;
        byte[] key;
        Kind kind;
        String reason;
        GenericRecord value;
        Long eventTime;
        boolean late;
    }

    /** A dimension version: ts_ms, where it came from, and its image (null for a delete). */
    private record Version(long tsMs, int partition, long offset, GenericRecord image) {
        boolean replaces(Version other) {
            return partition != other.partition
                    ? partition > other.partition
                    : offset > other.offset;
        }
    }

    private final SortedSet<Position> late = new TreeSet<>();
    private final SortedSet<DlqEntry> dlq = new TreeSet<>();

    private Result run(
            List<ProducerRecord<byte[], byte[]>> orderRecords,
            List<ProducerRecord<byte[], byte[]>> productRecords,
            List<ProducerRecord<byte[], byte[]>> customerRecords) {
        List<In> orders = ingest(orderRecords, "Order");
        List<In> products = ingest(productRecords, "ProductChange");
        List<In> customers = ingest(customerRecords, "CustomerChange");

        Map<String, List<Version>> productVersions = versions(products, "productId");
        Map<String, List<Version>> customerVersions = versions(customers, "customerId");

        SortedMap<String, String> output = new TreeMap<>();
        for (In order : dedup(orders)) {
            String orderId = text(order.value, "orderId");
            String line = AvroJson.canonical(enrich(order, productVersions, customerVersions));
            if (output.put(orderId, line) != null) {
                throw new IllegalArgumentException(
                        "two on-time orders share orderId "
                                + orderId
                                + "; which one the upsert output keeps would depend on timing");
            }
        }
        count("output.orders", output.size());
        return new Result(
                List.copyOf(output.values()),
                new TreeSet<>(late),
                new TreeSet<>(dlq),
                new TreeMap<>(stats));
    }

    // ---------------------------------------------------------------- dedup by orderId

    /** The job's default dedup horizon ({@code enrichment.dedup-horizon}). */
    public static final long DEDUP_HORIZON_MS = 24 * 3_600_000L;

    /**
     * The on-time orders that pass the dedup, in input order: per orderId, sorted by (event time,
     * topic, partition, offset), the first copy and every copy more than the horizon after the last
     * one that passed; the others are counted as {@code orders.duplicates}.
     */
    private List<In> dedup(List<In> orders) {
        Map<String, List<In>> byId = new HashMap<>();
        for (In order : orders) {
            if (order.kind == Kind.DATA && !order.late) {
                byId.computeIfAbsent(text(order.value, "orderId"), k -> new ArrayList<>())
                        .add(order);
            }
        }
        Set<In> passed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (List<In> copies : byId.values()) {
            copies.sort(
                    java.util.Comparator.<In>comparingLong(in -> in.eventTime)
                            .thenComparing(in -> in.position));
            Long last = null;
            for (In copy : copies) {
                if (last == null || copy.eventTime - last > DEDUP_HORIZON_MS) {
                    passed.add(copy);
                    last = copy.eventTime;
                } else {
                    count("orders.duplicates", 1);
                }
            }
        }
        return orders.stream().filter(passed::contains).toList();
    }

    // ---------------------------------------------------------------- validation + lateness

    private List<In> ingest(List<ProducerRecord<byte[], byte[]>> records, String type) {
        Map<Integer, Long> nextOffset = new HashMap<>();
        Map<Integer, Long> maxEventTime = new HashMap<>();
        List<In> out = new ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> record : records) {
            int partition = record.partition();
            long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
            In in = new In();
            in.position = new Position(record.topic(), partition, offset);
            in.recordTimestamp = record.timestamp() == null ? -1 : record.timestamp();
            in.key = record.key();
            validate(in, record.value(), type);
            if (in.kind == Kind.BAD) {
                dlq.add(new DlqEntry(in.position, in.reason));
                count(record.topic() + ".dlq." + in.reason, 1);
            } else {
                Long max = maxEventTime.get(partition);
                if (in.kind == Kind.HEARTBEAT) {
                    // Heartbeats only ever raise the maximum; one behind it is simply dropped.
                    if (max == null || in.eventTime > max) {
                        maxEventTime.put(partition, in.eventTime);
                    }
                } else if (max != null && in.eventTime < max - boundMs) {
                    in.late = true;
                    late.add(in.position);
                    count(record.topic() + ".late", 1);
                } else {
                    if (max == null || in.eventTime > max) {
                        maxEventTime.put(partition, in.eventTime);
                    }
                    if (in.kind == Kind.DATA && max != null && in.eventTime < max) {
                        count(record.topic() + ".onTimeOutOfOrder", 1);
                    }
                }
            }
            out.add(in);
        }
        return out;
    }

    private void validate(In in, byte[] value, String type) {
        long fingerprint = SingleObjectCodec.fingerprintOf(value);
        if (value == null || value.length == 0 || fingerprint == 0L) {
            bad(in, "DESERIALIZATION_FAILED");
            return;
        }
        Optional<Schema> writer = TidemarkSchemas.byFingerprint(fingerprint);
        boolean heartbeat = writer.isPresent() && writer.get().getName().equals("Heartbeat");
        if (!heartbeat && !readable(type).contains(fingerprint)) {
            bad(in, "SCHEMA_MISMATCH");
            return;
        }
        GenericRecord record;
        try {
            record = SingleObjectCodec.decodeGeneric(value);
        } catch (IllegalArgumentException e) {
            bad(in, "DESERIALIZATION_FAILED");
            return;
        }
        if (heartbeat) {
            in.eventTime = (Long) record.get("eventTime");
            if (skewed(in)) {
                bad(in, "EVENT_TIME_SKEW");
                return;
            }
            in.kind = Kind.HEARTBEAT;
            return;
        }
        in.eventTime = (Long) record.get(type.equals("Order") ? "eventTime" : "ts_ms");
        if (in.key == null || in.key.length == 0) {
            bad(in, "MISSING_KEY");
        } else if (in.eventTime == null) {
            bad(in, "MISSING_EVENT_TIME");
        } else if (skewed(in)) {
            bad(in, "EVENT_TIME_SKEW");
        } else if (!(type.equals("Order") ? validOrder(record) : validChange(record, type))) {
            bad(in, "INVALID_FIELD");
        } else {
            in.kind = Kind.DATA;
            in.value = record;
        }
    }

    private static Set<Long> readable(String type) {
        Set<Long> fingerprints = new HashSet<>();
        fingerprints.add(TidemarkSchemas.fingerprint(TidemarkSchemas.schema(type)));
        for (Schema old : TidemarkSchemas.history(type)) {
            fingerprints.add(TidemarkSchemas.fingerprint(old));
        }
        return fingerprints;
    }

    private boolean skewed(In in) {
        return in.recordTimestamp >= 0 && in.eventTime - in.recordTimestamp > maxSkewAheadMs;
    }

    private static void bad(In in, String reason) {
        in.kind = Kind.BAD;
        in.reason = reason;
    }

    private static boolean validOrder(GenericRecord order) {
        if (text(order, "orderId").isEmpty()
                || text(order, "customerId").isEmpty()
                || !CURRENCY.matcher(text(order, "currency")).matches()) {
            return false;
        }
        List<?> lines = (List<?>) order.get("lines");
        if (lines.isEmpty()) {
            return false;
        }
        for (Object item : lines) {
            GenericRecord line = (GenericRecord) item;
            if (text(line, "productId").isEmpty()
                    || (Integer) line.get("quantity") <= 0
                    || (Long) line.get("unitPriceMinor") < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean validChange(GenericRecord change, String type) {
        String op = change.get("op").toString();
        GenericRecord before = (GenericRecord) change.get("before");
        GenericRecord after = (GenericRecord) change.get("after");
        boolean shapeOk =
                switch (op) {
                    case "c", "r", "u" -> after != null;
                    case "d" -> before != null;
                    default -> false;
                };
        if (!shapeOk) {
            return false;
        }
        String idField = type.equals("ProductChange") ? "productId" : "customerId";
        return !text(after != null ? after : before, idField).isEmpty();
    }

    // ---------------------------------------------------------------- the temporal join

    private Map<String, List<Version>> versions(List<In> changes, String idField) {
        Map<String, List<Version>> byId = new LinkedHashMap<>();
        for (In in : changes) {
            if (in.kind != Kind.DATA || in.late) {
                continue;
            }
            GenericRecord after = (GenericRecord) in.value.get("after");
            GenericRecord before = (GenericRecord) in.value.get("before");
            boolean delete = in.value.get("op").toString().equals("d");
            String id = text(after != null ? after : before, idField);
            byId.computeIfAbsent(id, k -> new ArrayList<>())
                    .add(
                            new Version(
                                    in.eventTime,
                                    in.position.partition(),
                                    in.position.offset(),
                                    delete ? null : after));
        }
        return byId;
    }

    /** The version valid at {@code t}: greatest ts_ms ≤ t, then greatest (partition, offset). */
    private Version validAt(List<Version> versions, long t, String what) {
        Version best = null;
        boolean tie = false;
        for (Version v : versions) {
            if (v.tsMs > t) {
                continue;
            }
            if (best == null || v.tsMs > best.tsMs) {
                best = v;
                tie = false;
            } else if (v.tsMs == best.tsMs) {
                tie = true;
                if (v.replaces(best)) {
                    best = v;
                }
            }
        }
        if (tie) {
            count(what + ".tieBroken", 1);
        }
        return best;
    }

    private ObjectNode enrich(
            In order,
            Map<String, List<Version>> productVersions,
            Map<String, List<Version>> customerVersions) {
        long t = order.eventTime;
        GenericRecord value = order.value;
        String customerId = text(value, "customerId");
        Version customer =
                validAt(customerVersions.getOrDefault(customerId, List.of()), t, "customer");
        boolean customerFound = customer != null && customer.image != null;
        if (!customerFound) {
            count(
                    customer == null ? "customer.notFound.noVersion" : "customer.notFound.deleted",
                    1);
        }

        ObjectNode out = AvroJson.MAPPER.createObjectNode();
        out.put("orderId", text(value, "orderId"));
        out.put("customerId", customerId);
        out.put("eventTime", AvroJson.formatInstant(t));
        out.put("currency", text(value, "currency"));
        out.put("customerFound", customerFound);
        putText(out, "customerSegment", customerFound ? customer.image : null, "segment");
        putText(out, "customerRegion", customerFound ? customer.image : null, "region");
        putLong(out, "customerVersionTsMs", customerFound ? customer.tsMs : null);
        ArrayNode lines = out.putArray("lines");
        for (Object item : (List<?>) value.get("lines")) {
            GenericRecord line = (GenericRecord) item;
            String productId = text(line, "productId");
            Version product =
                    validAt(productVersions.getOrDefault(productId, List.of()), t, "product");
            boolean found = product != null && product.image != null;
            if (!found) {
                count(
                        product == null ? "product.notFound.noVersion" : "product.notFound.deleted",
                        1);
            }
            ObjectNode o = lines.addObject();
            o.put("productId", productId);
            o.put("quantity", (Integer) line.get("quantity"));
            o.put("unitPriceMinor", (Long) line.get("unitPriceMinor"));
            o.put("productFound", found);
            putText(o, "productName", found ? product.image : null, "name");
            putText(o, "category", found ? product.image : null, "category");
            putLong(o, "listPriceMinor", found ? (Long) product.image.get("listPriceMinor") : null);
            putLong(o, "productVersionTsMs", found ? product.tsMs : null);
        }
        return out;
    }

    private static void putText(ObjectNode node, String field, GenericRecord image, String source) {
        if (image == null) {
            node.putNull(field);
        } else {
            node.put(field, text(image, source));
        }
    }

    private static void putLong(ObjectNode node, String field, Long value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.longValue());
        }
    }

    private static String text(GenericRecord record, String field) {
        Object value = record.get(field);
        return value == null ? null : value.toString();
    }

    private void count(String what, long n) {
        stats.merge(what, n, Long::sum);
    }
}
