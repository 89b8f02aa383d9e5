package io.tidemark.jobs.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.common.local.Catalog;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.OrderGenerator;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.jobs.revenue.reference.RevenueInputModel;
import io.tidemark.jobs.revenue.reference.RevenueLine;
import io.tidemark.jobs.revenue.reference.RevenueReferenceModel;
import io.tidemark.jobs.revenue.reference.SqlRevenueOracle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The revenue job at volume against two oracles that share no code with its windows.
 *
 * <p>Input: a seeded shop from {@link OrderGenerator} — over 200,000 order lines (orders have 1–4
 * lines), product price and category changes, product creations and deletions, customer region
 * changes — plus, injected here: lines of products that never exist or that are created (and maybe
 * deleted) during the run, orders of unknown customers, out-of-order orders within the bound
 * (accepted), orders beyond the bound (late) and invalid orders (DLQ).
 *
 * <p>The revenue job runs through {@link Replay} (STREAMING, p=2). The oracles are fed only what
 * the classifier accepted and the temporal join produced: the enrichment job's output for the same
 * inputs (it runs the same stage as code), exploded into one row per order line. Then
 *
 * <ol>
 *   <li>Flink SQL, BATCH, {@code TUMBLE} window TVF with {@code COUNT(DISTINCT orderId)}, {@code
 *       SUM(quantity)}, {@code SUM(amount)}: 1 minute must equal {@code revenue-1m}, 1 hour must
 *       equal {@code revenue-1h} (so the cascaded rollup equals a direct hourly aggregation);
 *   <li>a plain-Java reference model: the same two comparisons.
 * </ol>
 *
 * Comparisons are per output key, on the canonical JSON of each result. Because the oracles take
 * their lines from the same stage code as the job, those lines (and the late records) are also
 * checked against {@link RevenueInputModel}, a plain-Java model of validation, the lateness rule
 * and the temporal join computed from the raw inputs.
 */
class RevenueOracleITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    static final int ORDERS = 81_000;
    static final int PRODUCTS = 200;
    static final int MIN_LINES = 200_000;
    static final long BOUND_MS = 2_000;
    static final Instant START = Instant.parse("2026-01-01T00:00:00.000Z");

    @Test
    void windowsAndRollupEqualSqlAndReferenceModel() throws Exception {
        long t0 = System.nanoTime();
        Shop shop = shop();
        Map<String, List<String>> inputs =
                Map.of(
                        "orders", shop.orders,
                        "products", shop.products,
                        "customers", shop.customers);
        log("generated %d orders, %d lines in %s", shop.orderCount, shop.lineCount, since(t0));
        assertThat(shop.lineCount).as("order lines generated").isGreaterThanOrEqualTo(MIN_LINES);

        long t1 = System.nanoTime();
        ReplayResult revenue = replay(new RevenueJob(), inputs);
        log("revenue job (STREAMING, p=2): %s, %s", since(t1), revenue.metrics());

        // The oracles' input: the enriched lines a plain-Java model of validation, lateness and
        // the temporal join derives from the raw inputs. No job code is shared with it, so the
        // windows below are checked end to end, join stage included.
        long tm = System.nanoTime();
        RevenueInputModel.Result model = RevenueInputModel.apply(inputs, BOUND_MS, 2);
        log("input model (validation, lateness, temporal join): %s", since(tm));
        assertThat(revenue.late()).as("late envelopes").hasSize(shop.late);
        assertThat(revenue.dlq()).as("DLQ envelopes").hasSize(shop.invalid);
        assertThat(model.latePositions().stream().map(p -> p + "/LATE").toList())
                .as("late records by the rule, computed from the inputs")
                .isEqualTo(positions(revenue.late()));
        List<RevenueLine> lines = model.lines();
        assertThat(lines.stream().map(RevenueLine::orderId).distinct().count())
                .as("every accepted order reaches the windows once")
                .isEqualTo(shop.orderCount - shop.late - shop.invalid - shop.duplicates);
        long unknownCategory =
                lines.stream().filter(l -> l.category().equals(RevenueLine.UNKNOWN)).count();
        long unknownRegion =
                lines.stream().filter(l -> l.region().equals(RevenueLine.UNKNOWN)).count();
        log(
                "%d accepted lines, %d with category unknown, %d with region unknown",
                lines.size(), unknownCategory, unknownRegion);
        assertThat(unknownCategory).as("unknown products reach the windows").isPositive();
        assertThat(unknownRegion).as("unknown customers reach the windows").isPositive();

        SortedMap<String, String> minutes =
                RevenueReferenceModel.byKey(revenue.outputs().get("output-1m"));
        SortedMap<String, String> hours =
                RevenueReferenceModel.byKey(revenue.outputs().get("output-1h"));
        log("job: %d 1-minute results, %d 1-hour results", minutes.size(), hours.size());

        long t3 = System.nanoTime();
        SortedMap<String, String> modelMinutes =
                RevenueReferenceModel.aggregate(lines, Duration.ofMinutes(1));
        SortedMap<String, String> modelHours =
                RevenueReferenceModel.aggregate(lines, Duration.ofHours(1));
        log("reference model: %s", since(t3));

        long t4 = System.nanoTime();
        SortedMap<String, String> sqlMinutes =
                SqlRevenueOracle.aggregate(lines, "INTERVAL '1' MINUTES", 2);
        long t5 = System.nanoTime();
        SortedMap<String, String> sqlHours =
                SqlRevenueOracle.aggregate(lines, "INTERVAL '1' HOURS", 2);
        log("Flink SQL (BATCH): 1 minute %s, 1 hour %s", since(t4, t5), since(t5));

        assertSameResults("revenue-1m vs Flink SQL TUMBLE 1 minute", minutes, sqlMinutes);
        assertSameResults("revenue-1h vs Flink SQL TUMBLE 1 hour", hours, sqlHours);
        assertSameResults("revenue-1m vs reference model (1 minute)", minutes, modelMinutes);
        assertSameResults("revenue-1h vs reference model (1 hour)", hours, modelHours);
        log("total %s", since(t0));
    }

    private static ReplayResult replay(TidemarkJob job, Map<String, List<String>> inputs)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            return Replay.run(job, inputs, ReplayOptions.defaults(), kafka);
        }
    }

    /** Fails with the first differences (missing, extra, different) rather than two huge lists. */
    private static void assertSameResults(
            String what, SortedMap<String, String> actual, SortedMap<String, String> expected) {
        List<String> differences = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(actual.keySet());
        keys.addAll(expected.keySet());
        int count = 0;
        for (String key : keys) {
            String a = actual.get(key);
            String e = expected.get(key);
            if (a == null || !a.equals(e)) {
                count++;
                if (differences.size() < 20) {
                    differences.add(key + "\n    job:    " + a + "\n    oracle: " + e);
                }
            }
        }
        assertThat(differences)
                .as(
                        "%s: %d of %d keys differ (job %d, oracle %d); first ones",
                        what, count, keys.size(), actual.size(), expected.size())
                .isEmpty();
        assertThat(actual).as(what).isNotEmpty();
        log("%s: %d keys equal", what, keys.size());
    }

    // --- input -------------------------------------------------------------------------------

    /** Generated inputs with what was injected, so the late and DLQ counts are known. */
    private static final class Shop {
        List<String> orders = new ArrayList<>();
        List<String> products;
        List<String> customers;
        int orderCount;
        int lineCount;
        int late;
        int invalid;
        int duplicates;
    }

    private static Shop shop() throws IOException {
        OrderGenerator.Output generated =
                OrderGenerator.generate(
                        OrderGenerator.Spec.builder()
                                .seed(2026)
                                // ~28 days of orders: they must end in the past, because the
                                // broker refuses record timestamps more than 1 h ahead of now.
                                .start(START)
                                .orders(ORDERS)
                                .customers(1_000)
                                .products(PRODUCTS)
                                .partitions(2)
                                .productUpdates(3_000)
                                .customerUpdates(1_500)
                                .build());
        int created = Math.max(1, PRODUCTS / 20); // p-0201.. are created later, some deleted
        Shop shop = new Shop();
        shop.products = generated.products();
        shop.customers = generated.customers();
        List<String> heartbeats = new ArrayList<>();
        int i = 0;
        for (String text : generated.orders()) {
            ObjectNode order = (ObjectNode) AvroJson.MAPPER.readTree(text);
            if (order.has("_type")) {
                heartbeats.add(text);
                continue;
            }
            ArrayNode lines = (ArrayNode) order.get("lines");
            if (i % 101 == 7) {
                ((ObjectNode) lines.get(0)).put("productId", "p-unknown");
            }
            if (i % 53 == 5) {
                ((ObjectNode) lines.get(lines.size() - 1))
                        .put("productId", Catalog.productId(PRODUCTS + 1 + i % created));
            }
            if (i % 211 == 3) {
                order.put("customerId", "cust-unknown");
            }
            add(shop, order, lines.size());
            long t = AvroJson.parseInstant(order.get("eventTime").asText());
            if (i % 499 == 13) {
                // 1.5 s behind its partition's maximum: within B = 2 s, accepted.
                add(shop, copy(order, "-ooo", t - 1_500), lines.size());
            }
            if (i % 1_499 == 19) {
                // A producer retry with the same orderId, 1.5 s earlier (within B, accepted): the
                // job counts the order once, the copy with the earliest event time.
                ObjectNode retry = order.deepCopy();
                retry.put("eventTime", AvroJson.formatInstant(t - 1_500));
                add(shop, retry, lines.size());
                shop.duplicates++;
            }
            if (i % 997 == 11) {
                // 10 s behind its partition's maximum: late.
                add(shop, copy(order, "-late", t - 10_000), lines.size());
                shop.late++;
            }
            if (i % 1_999 == 17) {
                ObjectNode bad = copy(order, "-bad", t);
                bad.put("currency", "eur");
                add(shop, bad, lines.size());
                shop.invalid++;
            }
            i++;
        }
        shop.orders.addAll(heartbeats);
        return shop;
    }

    private static void add(Shop shop, ObjectNode order, int lines) throws IOException {
        shop.orders.add(AvroJson.MAPPER.writeValueAsString(order));
        shop.orderCount++;
        shop.lineCount += lines;
    }

    private static ObjectNode copy(ObjectNode order, String suffix, long eventTime) {
        ObjectNode copy = order.deepCopy();
        copy.put("orderId", order.get("orderId").asText() + suffix);
        copy.put("eventTime", AvroJson.formatInstant(eventTime));
        return copy;
    }

    private static List<String> positions(List<String> envelopes) {
        List<String> out = new ArrayList<>();
        for (String line : envelopes) {
            try {
                JsonNode n = AvroJson.MAPPER.readTree(line);
                out.add(
                        n.get("topic").asText()
                                + "/"
                                + n.get("partition").asInt()
                                + "/"
                                + n.get("offset").asLong()
                                + "/"
                                + n.get("reasonCode").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        out.sort(null);
        return out;
    }

    private static List<String> sortedStrings(List<RevenueLine> lines) {
        List<String> out = new ArrayList<>(lines.size());
        lines.forEach(l -> out.add(l.toString()));
        out.sort(null);
        return out;
    }

    private static String since(long start) {
        return since(start, System.nanoTime());
    }

    private static String since(long start, long end) {
        return String.format("%.1f s", (end - start) / 1e9);
    }

    private static void log(String format, Object... args) {
        System.out.println("[RevenueOracleITCase] " + String.format(format, args));
    }
}
