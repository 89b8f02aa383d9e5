package io.tidemark.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.chaos.FailureInjector;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.OrderGenerator;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.live.LiveJobs;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.jobs.enrichment.reference.Differences;
import io.tidemark.jobs.enrichment.reference.EnrichmentReferenceModel;
import io.tidemark.jobs.enrichment.reference.ShopPerturbations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures and savepoint upgrades never change what the enrichment job commits (DESIGN.md §1,
 * "failures" and "stop / resume"). One seeded, perturbed shop (late and out-of-order records, bad
 * records of every kind) is run once plainly — bounded, p=2, on a fresh broker — and then under
 * injected failures, under TaskManager loss, and across a stop-with-savepoint restored at another
 * parallelism. Each run must commit the plain run's canonical output, late and DLQ envelopes, and
 * pass the exactly-once checks on the raw committed records: every order id of the plain run
 * exactly once (the order ids {@code o-000001…} are the per-key sequence, so a lost order shows as
 * a missing id and a replayed one as a second record), no late or DLQ envelope twice, and no
 * transaction left open on the broker.
 *
 * <p>Seeded: {@code -Dtidemark.seed=N} reruns with another seed; every failure message names it.
 * Nothing waits on time: each step waits on a condition (output committed, subtasks running again,
 * a checkpoint completed) with a deadline.
 */
class FailuresAndUpgradesITCase {

    /** Three TaskManagers with two slots each, so one can be lost while the job keeps slots. */
    @RegisterExtension
    static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension(3, 2);

    private static final long SEED = Long.getLong("tidemark.seed", 20261126L);
    private static final int PARTITIONS = 2;
    private static final int ORDERS = 5_000;
    private static final int FAILURES = 10;
    private static final int TM_LOSSES = 5;
    private static final Duration STEP_DEADLINE = Duration.ofSeconds(90);

    @TempDir static Path tmp;

    private static Plain plain;

    /** The plain bounded run everything is compared with. */
    private record Plain(
            Map<String, List<String>> inputs,
            ReplayResult result,
            Map<String, Integer> outputKeys,
            int late,
            int dlq) {}

    /** What one perturbed run committed, canonical and raw. */
    private record Committed(
            List<String> output,
            List<String> late,
            List<String> dlq,
            Map<String, Integer> outputKeys,
            Map<String, Integer> lateKeys,
            Map<String, Integer> dlqKeys,
            List<String> openTransactions) {}

    private static String seed() {
        return "seed " + SEED;
    }

    private static synchronized Plain plain() throws Exception {
        if (plain != null) {
            return plain;
        }
        OrderGenerator.Spec spec =
                OrderGenerator.Spec.builder()
                        .seed(SEED)
                        .orders(ORDERS)
                        .customers(400)
                        .products(60)
                        .partitions(PARTITIONS)
                        .productUpdates(200)
                        .customerUpdates(150)
                        .heartbeats(true)
                        .build();
        ShopPerturbations.Shop shop =
                ShopPerturbations.apply(
                        OrderGenerator.generate(spec),
                        spec,
                        SEED,
                        EnrichmentReferenceModel.DEFAULT_BOUND_MS,
                        1);
        long started = System.nanoTime();
        EnrichmentJob job = new EnrichmentJob();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            ReplayOptions options = ReplayOptions.defaults().withPartitions(PARTITIONS);
            ReplayResult result = Replay.run(job, shop.inputs(), options, kafka);
            Topics topics = Topics.of(job, Replay.configuration(job, options, "unused:0"));
            Map<String, Integer> outputKeys =
                    LiveJobs.keyCounts(kafka.bootstrapServers(), topics.output);
            int late = LiveJobs.total(LiveJobs.keyCounts(kafka.bootstrapServers(), topics.late));
            int dlq = LiveJobs.total(LiveJobs.keyCounts(kafka.bootstrapServers(), topics.dlq));
            plain = new Plain(shop.inputs(), result, outputKeys, late, dlq);
            System.out.printf(
                    "[failures] plain bounded run p=2 (%s): %s in %d ms%n",
                    seed(), result.metrics(), LiveJobs.millisSince(started));
        }
        // The comparison proves little unless the input exercises every outcome.
        String context = seed() + ", plain run " + plain.result.metrics();
        assertThat(plain.result.outputs().get("output")).as(context).hasSizeGreaterThan(4_500);
        assertThat(plain.result.late()).as(context).isNotEmpty();
        assertThat(plain.result.dlq()).as(context).isNotEmpty();
        assertThat(LiveJobs.duplicates(plain.outputKeys))
                .as("order ids committed twice by the plain run, " + context)
                .isEmpty();
        assertThat(plain.late).as(context).isEqualTo(plain.result.late().size());
        assertThat(plain.dlq).as(context).isEqualTo(plain.result.dlq().size());
        return plain;
    }

    // ------------------------------------------------------------------ the tests

    /**
     * Ten failures, each right after a checkpoint completed. The run is live (unbounded) and the
     * input arrives in ten slices, the next one after each failover: in a bounded run the job reads
     * this input in well under a second, finishes after one or two failures and never reaches the
     * later ones (measured: 1 failover at checkpoint intervals of 300, 50 and 20 ms). The injector
     * fails every attempt below ten, so the run has exactly ten failovers.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void injectedFailuresChangeNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Plain expected = plain();
        EnrichmentJob job = new EnrichmentJob();
        long started = System.nanoTime();
        List<Map<String, List<String>>> slices =
                LiveJobs.slices(expected.inputs, FAILURES, "orders");
        int injectedBefore = FailureInjector.INJECTED.get();
        AccessExecutionGraph last;
        Committed actual;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            Map<String, String> overrides =
                    new LinkedHashMap<>(
                            LiveJobs.recoverable(
                                    Files.createDirectories(tmp.resolve("checkpoints-chaos"))));
            overrides.put("source.stop", "none");
            overrides.put("chaos.failures", Integer.toString(FAILURES));
            overrides.put("chaos.seed", Long.toString(SEED));
            Configuration conf =
                    Replay.configuration(
                            job,
                            new ReplayOptions(PARTITIONS, 2, ExecutionMode.STREAMING, overrides),
                            bootstrap);
            Topics topics = Topics.of(job, conf);
            LiveJobs.createTopics(kafka, job, conf, PARTITIONS);
            JobClient client = LiveJobs.start(job, conf, "tidemark-chaos-" + job.name());
            JobID id = client.getJobID();
            try (LiveJobs.CommittedCounter counter =
                    new LiveJobs.CommittedCounter(bootstrap, topics.all(), PARTITIONS)) {
                for (int s = 0; s < slices.size(); s++) {
                    LiveJobs.load(job, conf, bootstrap, slices.get(s), "slice " + s);
                    int failover = s + 1;
                    LiveJobs.await(
                            "injected failover " + failover + " (" + seed() + ")",
                            STEP_DEADLINE,
                            client,
                            () -> LiveJobs.maxAttempt(LiveJobs.graph(cluster, id)) >= failover);
                }
                awaitAll(counter, topics, expected, client);
                // The last failover may still be restarting; a savepoint needs every task.
                LiveJobs.await(
                        "all subtasks running after the last failover (" + seed() + ")",
                        STEP_DEADLINE,
                        client,
                        () -> LiveJobs.allRunning(LiveJobs.graph(cluster, id)));
                last = LiveJobs.graph(cluster, id);
                LiveJobs.stopWithSavepoint(client, tmp.resolve("chaos-final").toUri().toString());
            } finally {
                LiveJobs.cancelQuietly(client);
            }
            actual = committed(kafka, topics);
        }
        int injected = FailureInjector.INJECTED.get() - injectedBefore;
        System.out.printf(
                "[failures] injected failures: %d injected (one per source operator), %d"
                        + " failovers, %d restores from a checkpoint, %d checkpoints, %d ms (%s)%n",
                injected,
                LiveJobs.maxAttempt(last),
                LiveJobs.restoredCheckpoints(last),
                LiveJobs.completedCheckpoints(last),
                LiveJobs.millisSince(started),
                seed());

        assertThat(injected)
                .as("failures injected after a completed checkpoint, %s", seed())
                .isGreaterThanOrEqualTo(FAILURES);
        assertThat(LiveJobs.maxAttempt(last)).as("failovers, %s", seed()).isEqualTo(FAILURES);
        assertSameAsPlain("injected failures", expected, actual);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void taskManagerLossChangesNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Plain expected = plain();
        EnrichmentJob job = new EnrichmentJob();
        long started = System.nanoTime();
        List<Map<String, List<String>>> slices =
                LiveJobs.slices(expected.inputs, TM_LOSSES + 1, "orders");
        int losses = 0;
        List<Integer> killed = new ArrayList<>();
        AccessExecutionGraph last;
        Committed actual;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            Map<String, String> overrides =
                    new LinkedHashMap<>(
                            LiveJobs.recoverable(
                                    Files.createDirectories(tmp.resolve("checkpoints-tm-loss"))));
            overrides.put("source.stop", "none");
            Configuration conf =
                    Replay.configuration(
                            job,
                            new ReplayOptions(PARTITIONS, 2, ExecutionMode.STREAMING, overrides),
                            bootstrap);
            Topics topics = Topics.of(job, conf);
            LiveJobs.createTopics(kafka, job, conf, PARTITIONS);
            JobClient client = LiveJobs.start(job, conf, "tidemark-tm-loss-" + job.name());
            JobID id = client.getJobID();
            try (LiveJobs.CommittedCounter counter =
                    new LiveJobs.CommittedCounter(bootstrap, topics.all(), PARTITIONS)) {
                LiveJobs.await(
                        "all subtasks running (" + seed() + ")",
                        STEP_DEADLINE,
                        client,
                        () -> LiveJobs.allRunning(LiveJobs.graph(cluster, id)));
                for (int s = 0; s < slices.size(); s++) {
                    int before = counter.count(topics.output);
                    LiveJobs.load(job, conf, bootstrap, slices.get(s), "slice " + s);
                    LiveJobs.await(
                            "committed output to grow past "
                                    + before
                                    + " after slice "
                                    + s
                                    + " ("
                                    + seed()
                                    + ")",
                            STEP_DEADLINE,
                            client,
                            () -> counter.count(topics.output) > before);
                    if (losses < TM_LOSSES) {
                        int attempt = LiveJobs.maxAttempt(LiveJobs.graph(cluster, id));
                        killed.add(LiveJobs.replaceTaskManagerOf(cluster, id));
                        losses++;
                        LiveJobs.await(
                                "the job to fail over and run again after TaskManager loss "
                                        + losses
                                        + " ("
                                        + seed()
                                        + ")",
                                STEP_DEADLINE,
                                client,
                                () -> {
                                    AccessExecutionGraph g = LiveJobs.graph(cluster, id);
                                    return LiveJobs.maxAttempt(g) > attempt
                                            && LiveJobs.allRunning(g);
                                });
                        long checkpoints =
                                LiveJobs.completedCheckpoints(LiveJobs.graph(cluster, id));
                        LiveJobs.await(
                                "a checkpoint after recovery " + losses + " (" + seed() + ")",
                                STEP_DEADLINE,
                                client,
                                () ->
                                        LiveJobs.completedCheckpoints(LiveJobs.graph(cluster, id))
                                                > checkpoints);
                    }
                }
                awaitAll(counter, topics, expected, client);
                last = LiveJobs.graph(cluster, id);
                LiveJobs.stopWithSavepoint(client, tmp.resolve("tm-loss-final").toUri().toString());
            } finally {
                LiveJobs.cancelQuietly(client);
            }
            actual = committed(kafka, topics);
        }
        System.out.printf(
                "[failures] TaskManager loss: %d TaskManagers lost (indexes %s), %d failovers, %d"
                        + " restores, %d checkpoints, %d ms (%s)%n",
                losses,
                killed,
                LiveJobs.maxAttempt(last),
                LiveJobs.restoredCheckpoints(last),
                LiveJobs.completedCheckpoints(last),
                LiveJobs.millisSince(started),
                seed());
        assertThat(losses).isEqualTo(TM_LOSSES);
        assertThat(LiveJobs.maxAttempt(last))
                .as("failovers, %s", seed())
                .isGreaterThanOrEqualTo(TM_LOSSES);
        assertSameAsPlain("TaskManager loss", expected, actual);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void savepointMidStreamRestoredAtAnotherParallelism(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        Plain expected = plain();
        EnrichmentJob job = new EnrichmentJob();
        long started = System.nanoTime();
        List<Map<String, List<String>>> halves = LiveJobs.slices(expected.inputs, 2, "orders");
        String savepoint;
        int committedAtSavepoint;
        AccessExecutionGraph restored;
        Committed actual;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            Map<String, String> overrides =
                    new LinkedHashMap<>(
                            LiveJobs.recoverable(
                                    Files.createDirectories(tmp.resolve("checkpoints-upgrade"))));
            overrides.put("source.stop", "none");
            Configuration before =
                    Replay.configuration(
                            job,
                            new ReplayOptions(PARTITIONS, 2, ExecutionMode.STREAMING, overrides),
                            bootstrap);
            Topics topics = Topics.of(job, before);
            LiveJobs.createTopics(kafka, job, before, PARTITIONS);
            try (LiveJobs.CommittedCounter counter =
                    new LiveJobs.CommittedCounter(bootstrap, topics.all(), PARTITIONS)) {
                JobClient first = LiveJobs.start(job, before, "tidemark-upgrade-p2-" + job.name());
                try {
                    LiveJobs.load(job, before, bootstrap, halves.get(0), "first half");
                    LiveJobs.await(
                            "some output committed before the savepoint (" + seed() + ")",
                            STEP_DEADLINE,
                            first,
                            () -> counter.count(topics.output) > 0);
                    savepoint =
                            LiveJobs.stopWithSavepoint(
                                    first, tmp.resolve("savepoints").toUri().toString());
                } finally {
                    LiveJobs.cancelQuietly(first);
                }
                committedAtSavepoint = counter.count(topics.output);

                Map<String, String> restore = new LinkedHashMap<>(overrides);
                restore.put("flink.execution.state-recovery.path", savepoint);
                Configuration after =
                        Replay.configuration(
                                job,
                                new ReplayOptions(PARTITIONS, 1, ExecutionMode.STREAMING, restore),
                                bootstrap);
                JobClient second = LiveJobs.start(job, after, "tidemark-upgrade-p1-" + job.name());
                try {
                    LiveJobs.load(job, after, bootstrap, halves.get(1), "second half");
                    awaitAll(counter, topics, expected, second);
                    restored = LiveJobs.graph(cluster, second.getJobID());
                    LiveJobs.stopWithSavepoint(
                            second, tmp.resolve("savepoints-final").toUri().toString());
                } finally {
                    LiveJobs.cancelQuietly(second);
                }
            }
            actual = committed(kafka, topics);
        }
        System.out.printf(
                "[failures] savepoint upgrade p=2 -> p=1: savepoint %s after %d of %d orders"
                        + " committed; restored %s; %d ms (%s)%n",
                savepoint,
                committedAtSavepoint,
                actual.output.size(),
                restored.getCheckpointStatsSnapshot().getLatestRestoredCheckpoint(),
                LiveJobs.millisSince(started),
                seed());

        assertThat(committedAtSavepoint)
                .as("orders committed before the savepoint, %s", seed())
                .isBetween(1, actual.output.size() - 1);
        assertThat(restored.getCheckpointStatsSnapshot().getLatestRestoredCheckpoint())
                .as("the second job restored the savepoint, %s", seed())
                .isNotNull();
        assertThat(
                        restored.getCheckpointStatsSnapshot()
                                .getLatestRestoredCheckpoint()
                                .getExternalPath())
                .as("restored from, %s", seed())
                .isEqualTo(savepoint);
        assertSameAsPlain("savepoint at p=2 restored at p=1", expected, actual);
    }

    // ------------------------------------------------------------------ checks

    /** Identical canonical output, late and DLQ; each key exactly once; no open transaction. */
    private static void assertSameAsPlain(String run, Plain expected, Committed actual) {
        String context = run + " vs plain run (" + seed() + ")";
        List<String> problems = new ArrayList<>();
        addIfNotNull(
                problems,
                Differences.lines(
                        "output", expected.result.outputs().get("output"), actual.output));
        addIfNotNull(problems, Differences.lines("late", expected.result.late(), actual.late));
        addIfNotNull(problems, Differences.lines("dlq", expected.result.dlq(), actual.dlq));
        addIfNotNull(
                problems,
                Differences.sets(
                        "order ids committed (raw records)",
                        expected.outputKeys.keySet(),
                        actual.outputKeys.keySet()));
        Map<String, Integer> duplicates = new LinkedHashMap<>();
        duplicates.putAll(LiveJobs.duplicates(actual.outputKeys));
        duplicates.putAll(LiveJobs.duplicates(actual.lateKeys));
        duplicates.putAll(LiveJobs.duplicates(actual.dlqKeys));
        if (!duplicates.isEmpty()) {
            problems.add("keys committed more than once: " + LiveJobs.first(duplicates, 10));
        }
        if (!actual.openTransactions.isEmpty()) {
            problems.add("transactions left open: " + actual.openTransactions);
        }
        assertThat(problems).as(context).isEmpty();
    }

    private static Committed committed(EmbeddedKafka kafka, Topics topics) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        CommittedReader.awaitSettled(bootstrap, topics.all(), CommittedReader.DEFAULT_TIMEOUT);
        Committed committed =
                new Committed(
                        CommittedReader.canonicalLinesLastPerKey(bootstrap, topics.output),
                        CommittedReader.canonicalLinesLastPerKey(bootstrap, topics.late),
                        CommittedReader.canonicalLinesLastPerKey(bootstrap, topics.dlq),
                        LiveJobs.keyCounts(bootstrap, topics.output),
                        LiveJobs.keyCounts(bootstrap, topics.late),
                        LiveJobs.keyCounts(bootstrap, topics.dlq),
                        LiveJobs.openTransactions(kafka.admin()));
        System.out.printf(
                "[failures]   transactions on the broker by state: %s%n",
                LiveJobs.transactionStates(kafka.admin()));
        return committed;
    }

    // ------------------------------------------------------------------ helpers

    /** Waits until as many records are committed as the plain run committed, per topic. */
    private static void awaitAll(
            LiveJobs.CommittedCounter counter, Topics topics, Plain expected, JobClient client)
            throws Exception {
        Map<String, Integer> target = new HashMap<>();
        target.put(topics.output, LiveJobs.total(expected.outputKeys));
        target.put(topics.late, expected.late);
        target.put(topics.dlq, expected.dlq);
        LiveJobs.await(
                "committed records " + target + " (" + seed() + ")",
                STEP_DEADLINE,
                client,
                () -> LiveJobs.reached(counter.counts(), target));
    }

    private static void addIfNotNull(List<String> problems, String problem) {
        if (problem != null) {
            problems.add(problem);
        }
    }

    /** The topics one run writes. */
    private record Topics(String output, String late, String dlq) {
        static Topics of(TidemarkJob job, Configuration conf) {
            return new Topics(
                    job.resultTopics(conf).get(0).topic(),
                    job.errorTopics(conf).get(0).topic(),
                    job.errorTopics(conf).get(1).topic());
        }

        List<String> all() {
            return List.of(output, late, dlq);
        }
    }
}
