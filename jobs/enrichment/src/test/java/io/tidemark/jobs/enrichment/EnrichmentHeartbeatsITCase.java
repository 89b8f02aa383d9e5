package io.tidemark.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.joins.EnrichmentStage;
import io.tidemark.common.joins.functions.JoinCustomer;
import io.tidemark.common.joins.functions.JoinProduct;
import io.tidemark.common.joins.functions.LineTask;
import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.HeartbeatWriter;
import io.tidemark.common.local.HeartbeatWriter.EventTimeSource;
import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.local.OrderGenerator;
import io.tidemark.common.local.RecordDefaults;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.live.LiveJobs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quiet changelog partition must not stall the job (issue 15): partition 1 of {@code products}
 * receives its snapshot and then nothing for hours while orders flow. Heartbeats written by {@link
 * HeartbeatWriter} (what {@code tidemark heartbeat} runs) carry the changelogs' event time forward,
 * so the output advances slice by slice, ends equal to a bounded reference run of the same records
 * (heartbeats made nothing late and changed no join), and no order is left pending in the joins'
 * state. Without heartbeats the partition's watermark stays at the snapshot and the first slice
 * never completes. The job runs unbounded with its default watermark alignment, which must not
 * change the output either.
 */
class EnrichmentHeartbeatsITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    private static final long SEED = Long.getLong("tidemark.seed", 20261204L);
    private static final int PARTITIONS = 2;
    private static final int SILENT_PARTITION = 1;
    private static final int SLICES = 4;
    private static final long B = 2_000;
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void heartbeatsMoveTheJobPastAQuietProductsPartition(
            @InjectMiniCluster MiniCluster miniCluster, @TempDir Path savepoints) throws Exception {
        OrderGenerator.Spec spec =
                OrderGenerator.Spec.builder()
                        .seed(SEED)
                        .orders(400)
                        .customers(40)
                        .products(20)
                        .partitions(PARTITIONS)
                        .productUpdates(60)
                        .customerUpdates(40)
                        .heartbeats(false)
                        .build();
        OrderGenerator.Output shop = OrderGenerator.generate(spec);
        long start = spec.start().toEpochMilli();
        Map<String, List<String>> inputs = new HashMap<>();
        inputs.put("orders", shop.orders());
        inputs.put("products", quiet(shop.products(), start));
        inputs.put("customers", shop.customers());
        long lastOrder =
                shop.orders().stream()
                        .mapToLong(EnrichmentHeartbeatsITCase::time)
                        .max()
                        .orElseThrow();
        String context = "seed " + SEED;
        // The quiet partition must matter: orders over hours need its products' versions.
        assertThat(quietProductsOrdered(inputs, start)).as(context).isGreaterThan(20);
        assertThat(lastOrder - start).as(context).isGreaterThan(Duration.ofHours(2).toMillis());

        Run live = live(miniCluster, inputs, lastOrder, savepoints, context);
        Run reference = reference(inputs);

        assertThat(live.output).as("every order enriched; " + context).hasSize(400);
        assertThat(live)
                .as("live with heartbeats vs bounded reference; " + context)
                .isEqualTo(reference);
    }

    // ------------------------------------------------------------------ the input

    /**
     * The products changelog with partition {@link #SILENT_PARTITION} silent after the snapshot.
     */
    private static List<String> quiet(List<String> products, long start) {
        List<String> kept = new ArrayList<>();
        for (String line : products) {
            JsonNode node = json(line);
            if (node.get(JsonLinesLoader.PARTITION).intValue() != SILENT_PARTITION
                    || node.get("ts_ms").longValue() <= start) {
                kept.add(line);
            }
        }
        return kept;
    }

    /** Order lines whose product lives in the quiet partition. */
    private static long quietProductsOrdered(Map<String, List<String>> inputs, long start) {
        java.util.Set<String> quietIds = new java.util.HashSet<>();
        for (String line : inputs.get("products")) {
            JsonNode node = json(line);
            if (node.get(JsonLinesLoader.PARTITION).intValue() == SILENT_PARTITION) {
                quietIds.add(node.get("after").get("productId").textValue());
            }
        }
        long count = 0;
        for (String line : inputs.get("orders")) {
            for (JsonNode orderLine : json(line).get("lines")) {
                if (quietIds.contains(orderLine.get("productId").textValue())) {
                    count++;
                }
            }
        }
        return count;
    }

    private static long time(String line) {
        return RecordDefaults.eventTimeMillis(json(line));
    }

    private static JsonNode json(String line) {
        try {
            return AvroJson.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new IllegalArgumentException(line, e);
        }
    }

    // ------------------------------------------------------------------ the runs

    /** Committed output, late and DLQ lines of one run. */
    private record Run(List<String> output, List<String> late, List<String> dlq) {}

    /**
     * Runs the job unbounded; loads the input in slices of event time, and after each slice writes
     * one heartbeat round to the changelogs at the orders' progress (the lowest latest order time
     * over the orders partitions), then waits until every order up to that time is committed. A
     * last round at a fixed time after the last order moves all three inputs past it. Finally reads
     * the joins' pending state from a savepoint.
     */
    private static Run live(
            MiniCluster miniCluster,
            Map<String, List<String>> inputs,
            long lastOrder,
            Path savepoints,
            String context)
            throws Exception {
        long started = System.nanoTime();
        EnrichmentJob job = new EnrichmentJob();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            Configuration conf =
                    Replay.configuration(
                            job,
                            new ReplayOptions(
                                    PARTITIONS,
                                    2,
                                    ExecutionMode.STREAMING,
                                    Map.of("source.stop", "none")),
                            bootstrap);
            TidemarkConfig common = TidemarkConfig.from(conf, job.name());
            assertThat(common.alignment()).as("alignment is on in unbounded runs").isNotNull();
            LiveJobs.createTopics(kafka, job, conf, PARTITIONS);
            Map<String, JobTopic> topics = new HashMap<>();
            job.inputs(conf).forEach(t -> topics.put(t.role(), t));
            String output = job.outputs(conf).get(0).topic();
            List<String> changelogs =
                    List.of(topics.get("products").topic(), topics.get("customers").topic());

            JobClient client = LiveJobs.start(job, conf, InputTap.NONE, "tidemark-heartbeats");
            try (HeartbeatWriter following =
                            new HeartbeatWriter(
                                    bootstrap,
                                    new Properties(),
                                    changelogs,
                                    EventTimeSource.following(
                                            topics.get("orders").topic(), Duration.ZERO));
                    LiveJobs.CommittedCounter counter =
                            new LiveJobs.CommittedCounter(bootstrap, List.of(output), PARTITIONS)) {
                CommonTestUtils.waitForAllTaskRunning(miniCluster, client.getJobID(), false);
                List<Map<String, List<String>>> slices = LiveJobs.slices(inputs, SLICES, "orders");
                for (int k = 0; k < SLICES; k++) {
                    for (String role : List.of("products", "customers", "orders")) {
                        JobTopic topic = topics.get(role);
                        JsonLinesLoader.load(
                                slices.get(k).get(role),
                                role + " slice " + k,
                                topic.topic(),
                                topic.type(),
                                bootstrap,
                                new Properties());
                    }
                    HeartbeatWriter.Round round = following.writeOnce();
                    assertThat(round.wroteAny()).as("heartbeats after slice " + k).isTrue();
                    long at = round.written().values().iterator().next().toEpochMilli();
                    // Every order the heartbeats let through: at or before the watermark they
                    // allow.
                    int due =
                            (int)
                                    inputs.get("orders").stream()
                                            .filter(line -> time(line) <= at - B - 2)
                                            .count();
                    LiveJobs.await(
                            due + " orders committed after slice " + k + " (" + context + ")",
                            DEADLINE,
                            client,
                            () -> LiveJobs.reached(counter.counts(), Map.of(output, due)));
                    System.out.printf(
                            "slice %d: heartbeats at %s, %d orders due, committed %s%n",
                            k, Instant.ofEpochMilli(at), due, counter.counts());
                }
                Instant end = Instant.ofEpochMilli(lastOrder + Duration.ofMinutes(1).toMillis());
                List<String> all = new ArrayList<>(changelogs);
                all.add(topics.get("orders").topic());
                try (HeartbeatWriter last =
                        new HeartbeatWriter(
                                bootstrap, new Properties(), all, EventTimeSource.fixed(end))) {
                    last.writeOnce();
                }
                int total = inputs.get("orders").size();
                LiveJobs.await(
                        "all " + total + " orders committed (" + context + ")",
                        DEADLINE,
                        client,
                        () -> LiveJobs.reached(counter.counts(), Map.of(output, total)));
            } catch (Throwable e) {
                LiveJobs.cancelQuietly(client);
                throw e;
            }
            String savepoint = LiveJobs.stopWithSavepoint(client, savepoints.toUri().toString());
            Map<String, Long> pending = pending(savepoint);
            System.out.printf(
                    "live run: pending after the run %s, in %d ms%n",
                    pending, LiveJobs.millisSince(started));
            // Bounded state: nothing the watermark has passed is still held.
            assertThat(pending)
                    .as("pending keys and entries in the joins after the run; " + context)
                    .containsOnly(
                            Map.entry("join-customer.keys", 0L),
                            Map.entry("join-customer.entries", 0L),
                            Map.entry("join-product.keys", 0L),
                            Map.entry("join-product.entries", 0L));
            return new Run(
                    CommittedReader.canonicalLinesLastPerKey(bootstrap, output),
                    CommittedReader.canonicalLinesLastPerKey(bootstrap, common.lateTopic()),
                    CommittedReader.canonicalLinesLastPerKey(bootstrap, common.dlqTopic()));
        }
    }

    /** A bounded replay of the same records without heartbeats: end of input releases all. */
    private static Run reference(Map<String, List<String>> inputs) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            ReplayResult result =
                    Replay.run(new EnrichmentJob(), inputs, ReplayOptions.defaults(), kafka);
            return new Run(result.outputs().get("output"), result.late(), result.dlq());
        }
    }

    // ------------------------------------------------------------------ pending state

    /**
     * Keys with pending facts and pending entries (event times) per join, read from a savepoint
     * with the State Processor API.
     */
    private static Map<String, Long> pending(String savepoint) throws Exception {
        Map<String, Long> counts = new java.util.TreeMap<>();
        count(savepoint, EnrichmentStage.JOIN_CUSTOMER, JoinCustomer.PENDING_STATE, counts);
        count(savepoint, EnrichmentStage.JOIN_PRODUCT, JoinProduct.PENDING_STATE, counts);
        return counts;
    }

    private static void count(
            String savepoint, String stage, String stateName, Map<String, Long> counts)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        long keys = 0;
        long entries = 0;
        try (CloseableIterator<Long> it =
                SavepointReader.read(env, savepoint, new EmbeddedRocksDBStateBackend())
                        .readKeyedState(
                                OperatorIdentifier.forUid("enrichment." + stage),
                                new PendingEntries(stateName),
                                Types.STRING,
                                Types.LONG)
                        .executeAndCollect("tidemark-pending-" + stage)) {
            while (it.hasNext()) {
                long n = it.next();
                if (n > 0) {
                    keys++;
                    entries += n;
                }
            }
        }
        counts.put(stage + ".keys", keys);
        counts.put(stage + ".entries", entries);
    }

    /** Per key: how many event times have facts waiting in the join's pending map. */
    private static final class PendingEntries extends KeyedStateReaderFunction<String, Long> {
        private final String stateName;
        private transient MapState<Long, List<LineTask>> pending;

        PendingEntries(String stateName) {
            this.stateName = stateName;
        }

        @Override
        public void open(OpenContext openContext) {
            pending =
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>(
                                            stateName,
                                            Types.LONG,
                                            Types.LIST(LineTask.typeInfo())));
        }

        @Override
        public void readKey(String key, Context ctx, Collector<Long> out) throws Exception {
            long n = 0;
            for (Long ignored : pending.keys()) {
                n++;
            }
            out.collect(n);
        }
    }
}
