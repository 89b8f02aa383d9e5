package io.tidemark.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.local.LoadResult;
import io.tidemark.common.local.OrderGenerator;
import io.tidemark.common.local.ShopPerturbations;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.live.LiveJobs;
import io.tidemark.jobs.enrichment.reference.Differences;
import io.tidemark.jobs.enrichment.reference.EnrichmentReferenceModel;
import io.tidemark.jobs.enrichment.reference.Envelopes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The enrichment job's output is a pure function of its input topics (DESIGN.md §1): it equals an
 * independent reference model line for line, and does not change with the order and speed in which
 * the three topics are produced and read, nor with parallelism.
 *
 * <p>Seeded: {@code -Dtidemark.seed=N} reruns with another seed; every failure message names it.
 */
class EnrichmentDeterminismITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    private static final long SEED = Long.getLong("tidemark.seed", 20261125L);
    private static final long B = EnrichmentReferenceModel.DEFAULT_BOUND_MS;
    private static final long SKEW = EnrichmentReferenceModel.DEFAULT_MAX_SKEW_AHEAD_MS;
    private static final int PARTITIONS = 2;
    private static final Duration LIVE_DEADLINE = Duration.ofMinutes(2);

    /** A perturbed shop and what the reference model expects of it. */
    private record Case(
            long seed, ShopPerturbations.Shop shop, EnrichmentReferenceModel.Result expected) {}

    private static Case shop(
            long seed,
            int orders,
            int customers,
            int products,
            int productUpdates,
            int customerUpdates,
            int badPerKind) {
        OrderGenerator.Spec spec =
                OrderGenerator.Spec.builder()
                        .seed(seed)
                        .orders(orders)
                        .customers(customers)
                        .products(products)
                        .partitions(PARTITIONS)
                        .productUpdates(productUpdates)
                        .customerUpdates(customerUpdates)
                        .heartbeats(true)
                        .build();
        ShopPerturbations.Shop shop =
                ShopPerturbations.apply(OrderGenerator.generate(spec), spec, seed, B, badPerKind);
        long started = System.nanoTime();
        EnrichmentReferenceModel.Result expected =
                EnrichmentReferenceModel.ofLines(
                        shop.orders(), shop.products(), shop.customers(), PARTITIONS, B, SKEW);
        System.out.printf(
                "seed %d: %d orders, %d product and %d customer lines; model took %d ms%n"
                        + "  perturbations %s%n  model %s%n",
                seed,
                shop.orders().size(),
                shop.products().size(),
                shop.customers().size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                shop.applied(),
                expected.stats());
        return new Case(seed, shop, expected);
    }

    private static ReplayResult replay(Map<String, List<String>> inputs, ReplayOptions options)
            throws Exception {
        long started = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            ReplayResult result = Replay.run(new EnrichmentJob(), inputs, options, kafka);
            System.out.printf(
                    "bounded replay p=%d: %s in %d ms%n",
                    options.parallelism(),
                    result.metrics(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return result;
        }
    }

    /** Asserts the job's committed output equals the model's: output lines, late and DLQ sets. */
    private static void assertMatchesModel(
            String run, Case c, List<String> output, List<String> late, List<String> dlq) {
        EnrichmentReferenceModel.Result expected = c.expected();
        String context = run + " (seed " + c.seed() + ")";
        List<String> problems = new ArrayList<>();
        addIfNotNull(problems, Differences.lines("output", expected.output(), output));
        addIfNotNull(
                problems, Differences.sets("late", expected.late(), Envelopes.latePositions(late)));
        addIfNotNull(problems, Differences.sets("dlq", expected.dlq(), Envelopes.entries(dlq)));
        assertThat(problems).as("%s differs from the reference model", context).isEmpty();
    }

    private static void addIfNotNull(List<String> problems, String problem) {
        if (problem != null) {
            problems.add(problem);
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void jobEqualsReferenceModelLineForLine() throws Exception {
        Case c = shop(SEED, 50_000, 3_000, 400, 1_300, 900, 2);
        EnrichmentReferenceModel.Result expected = c.expected();

        // The perturbations must actually exercise the rules, or equality proves little.
        var stats = expected.stats();
        String context = "seed " + SEED + ", model stats " + stats;
        assertThat(expected.output()).as(context).hasSizeGreaterThan(49_000);
        for (String topic : List.of("orders", "products", "customers")) {
            assertThat(stats).as(context).containsKey(topic + ".late");
            assertThat(stats).as(context).containsKey(topic + ".onTimeOutOfOrder");
        }
        assertThat(stats)
                .as(context)
                .containsKeys(
                        "customer.notFound.noVersion",
                        "customer.notFound.deleted",
                        "product.notFound.noVersion",
                        "product.notFound.deleted",
                        "product.tieBroken",
                        "customer.tieBroken",
                        "orders.duplicates");
        assertThat(expected.dlq().stream().map(e -> e.reason()).distinct())
                .as(context)
                .containsExactlyInAnyOrder(
                        "DESERIALIZATION_FAILED",
                        "SCHEMA_MISMATCH",
                        "MISSING_KEY",
                        "MISSING_EVENT_TIME",
                        "EVENT_TIME_SKEW",
                        "INVALID_FIELD");

        ReplayResult actual = replay(c.shop().inputs(), ReplayOptions.defaults());
        assertMatchesModel(
                "bounded replay p=2",
                c,
                actual.outputs().get("output"),
                actual.late(),
                actual.dlq());
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void productionOrderAndSpeedDoNotMatter(@InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        Case c = shop(SEED + 1, 3_000, 300, 60, 150, 100, 1);

        Run dimensionsFirst = live(miniCluster, c, List.of("products", "customers", "orders"));
        Run ordersFirst = live(miniCluster, c, List.of("orders", "customers", "products"));
        ReplayResult bounded =
                replay(c.shop().inputs(), ReplayOptions.defaults().withParallelism(1));
        Run p1 = new Run(bounded.outputs().get("output"), bounded.late(), bounded.dlq());

        assertMatchesModel(
                "live, dimensions first",
                c,
                dimensionsFirst.output,
                dimensionsFirst.late,
                dimensionsFirst.dlq);
        String context = "seed " + c.seed();
        assertThat(ordersFirst)
                .as("live, orders first vs dimensions first; " + context)
                .isEqualTo(dimensionsFirst);
        assertThat(p1)
                .as("bounded replay p=1 vs live, dimensions first; " + context)
                .isEqualTo(dimensionsFirst);
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void parallelism1And2GiveIdenticalOutput() throws Exception {
        Case c = shop(SEED + 2, 12_000, 1_000, 150, 500, 400, 1);
        ReplayResult p1 = replay(c.shop().inputs(), ReplayOptions.defaults().withParallelism(1));
        ReplayResult p2 = replay(c.shop().inputs(), ReplayOptions.defaults().withParallelism(2));

        assertMatchesModel(
                "bounded replay p=1", c, p1.outputs().get("output"), p1.late(), p1.dlq());
        assertThat(p2).as("p=2 vs p=1, seed %d", c.seed()).isEqualTo(p1);
    }

    // ---------------------------------------------------------------- live runs

    /** Canonical committed output, late and DLQ lines of one run. */
    private record Run(List<String> output, List<String> late, List<String> dlq) {}

    /**
     * Runs the job unbounded and produces the topics one after another in {@code loadOrder},
     * waiting until the job has consumed (and checkpointed) each topic before producing the next,
     * so one stream is read entirely before the others exist. Stops once the committed output has
     * as many records as the model expects.
     */
    private static Run live(MiniCluster miniCluster, Case c, List<String> loadOrder)
            throws Exception {
        long started = System.nanoTime();
        EnrichmentJob job = new EnrichmentJob();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            ReplayOptions options =
                    new ReplayOptions(
                            PARTITIONS, 2, ExecutionMode.STREAMING, Map.of("source.stop", "none"));
            Configuration conf = Replay.configuration(job, options, bootstrap);
            TidemarkConfig common = TidemarkConfig.from(conf, job.name());
            Map<String, JobTopic> inputs = new HashMap<>();
            for (JobTopic topic : job.inputs(conf)) {
                kafka.createTopic(topic.topic(), PARTITIONS);
                inputs.put(topic.role(), topic);
            }
            String output = job.outputs(conf).get(0).topic();
            kafka.createTopic(output, PARTITIONS);
            for (JobTopic topic : job.errorTopics(conf)) {
                kafka.createTopic(topic.topic(), PARTITIONS);
            }

            StreamExecutionEnvironment env = TidemarkEnvironment.create(common);
            job.build(env, conf);
            JobClient client = env.executeAsync("tidemark-live-" + String.join("-", loadOrder));
            try {
                CommonTestUtils.waitForAllTaskRunning(miniCluster, client.getJobID(), false);
                Map<String, List<String>> lines = c.shop().inputs();
                for (String role : loadOrder) {
                    JobTopic topic = inputs.get(role);
                    LoadResult loaded =
                            JsonLinesLoader.load(
                                    lines.get(role),
                                    role,
                                    topic.topic(),
                                    topic.type(),
                                    bootstrap,
                                    new Properties());
                    awaitConsumed(
                            kafka,
                            common.groupId(),
                            loaded,
                            client,
                            role + " (seed " + c.seed() + ")");
                }
                Map<String, Integer> expected =
                        Map.of(
                                output,
                                c.expected().output().size(),
                                common.lateTopic(),
                                c.expected().late().size(),
                                common.dlqTopic(),
                                c.expected().dlq().size());
                awaitCommitted(bootstrap, expected, client, loadOrder, c.seed());
                Run run =
                        new Run(
                                CommittedReader.canonicalLinesLastPerKey(bootstrap, output),
                                CommittedReader.canonicalLinesLastPerKey(
                                        bootstrap, common.lateTopic()),
                                CommittedReader.canonicalLinesLastPerKey(
                                        bootstrap, common.dlqTopic()));
                System.out.printf(
                        "live run %s: %d orders, %d late, %d dlq in %d ms%n",
                        loadOrder,
                        run.output.size(),
                        run.late.size(),
                        run.dlq.size(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                return run;
            } finally {
                LiveJobs.cancelQuietly(client);
            }
        }
    }

    /** Waits until the job's checkpointed source offsets have reached the end of a loaded topic. */
    /** Waits until the job has read {@code loaded}'s topic to its end and checkpointed it. */
    private static void awaitConsumed(
            EmbeddedKafka kafka, String groupId, LoadResult loaded, JobClient client, String role)
            throws Exception {
        LiveJobs.await(
                "the job to consume " + role,
                LIVE_DEADLINE,
                client,
                () ->
                        LiveJobs.consumedAndCheckpointed(
                                kafka.admin(), groupId, List.of(loaded.topic())));
    }

    /** Waits until each topic of {@code expected} has that many committed records. */
    private static void awaitCommitted(
            String bootstrap,
            Map<String, Integer> expected,
            JobClient client,
            List<String> loadOrder,
            long seed)
            throws Exception {
        try (LiveJobs.CommittedCounter counter =
                new LiveJobs.CommittedCounter(bootstrap, expected.keySet(), PARTITIONS)) {
            LiveJobs.await(
                    "live run " + loadOrder + " (seed " + seed + ") to commit " + expected,
                    LIVE_DEADLINE,
                    client,
                    () -> LiveJobs.reached(counter.counts(), expected));
        }
    }
}
