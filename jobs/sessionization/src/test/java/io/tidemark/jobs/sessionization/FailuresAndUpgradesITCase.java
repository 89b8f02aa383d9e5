package io.tidemark.jobs.sessionization;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.chaos.FailureInjector;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.local.ClickGenerator;
import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.live.LiveJobs;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.jobs.sessionization.reference.Differences;
import io.tidemark.jobs.sessionization.reference.SessionReferenceModel;
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
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures and savepoint upgrades never change the sessions the job commits (DESIGN.md §1). One
 * seeded, messy click stream (disorder within B, late clicks, duplicates, bad records of every
 * reason) is run once plainly — bounded, p=2, on a fresh broker — and then under ten injected
 * failures and across a stop-with-savepoint restored at another parallelism. Each run must commit
 * the plain run's sessions, late and DLQ envelopes, no session id (and no envelope) twice in the
 * raw committed records, and leave no transaction open on the broker.
 *
 * <p>Seeded: {@code -Dtidemark.seed=N} reruns with another seed; every failure message names it.
 * Nothing waits on time: each step waits on a condition with a deadline.
 */
class FailuresAndUpgradesITCase {

    /** Four slots, so a savepoint taken at p=2 can be restored at p=4. */
    @RegisterExtension
    static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension(1, 4);

    private static final long SEED = Long.getLong("tidemark.seed", 0x5E55_FA11L);
    private static final int PARTITIONS = 4;
    private static final int CLICKS = 20_000;
    private static final int FAILURES = 10;
    private static final Duration STEP_DEADLINE = Duration.ofSeconds(90);

    @TempDir static Path tmp;

    private static Plain plain;

    /** The plain bounded run everything is compared with. */
    private record Plain(
            Map<String, List<String>> inputs,
            ReplayResult result,
            Map<String, Integer> sessionIds,
            int late,
            int dlq) {}

    /** What one perturbed run committed, canonical and raw. */
    private record Committed(
            List<String> output,
            List<String> late,
            List<String> dlq,
            Map<String, Integer> sessionIds,
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
        ClickGenerator.Spec spec =
                ClickGenerator.Spec.builder()
                        .seed(SEED)
                        .events(CLICKS)
                        .users(500)
                        .partitions(PARTITIONS)
                        .boundMs(SessionReferenceModel.DEFAULT_BOUND_MS)
                        .fractionWithinBound(0.2)
                        .fractionLate(0.01)
                        .fractionDuplicates(0.01)
                        .badPerReason(3)
                        .heartbeats(true)
                        .build();
        Map<String, List<String>> inputs = Map.of("clicks", ClickGenerator.generate(spec));
        long started = System.nanoTime();
        SessionizationJob job = new SessionizationJob();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            ReplayOptions options = ReplayOptions.defaults().withPartitions(PARTITIONS);
            ReplayResult result = Replay.run(job, inputs, options, kafka);
            Topics topics = Topics.of(job, Replay.configuration(job, options, "unused:0"));
            String bootstrap = kafka.bootstrapServers();
            plain =
                    new Plain(
                            inputs,
                            result,
                            LiveJobs.keyCounts(bootstrap, topics.output),
                            LiveJobs.total(LiveJobs.keyCounts(bootstrap, topics.late)),
                            LiveJobs.total(LiveJobs.keyCounts(bootstrap, topics.dlq)));
            System.out.printf(
                    "[failures] plain bounded run p=2 (%s, %s): %s in %d ms%n",
                    seed(), spec, result.metrics(), LiveJobs.millisSince(started));
        }
        // The comparison proves little unless the input exercises every outcome.
        String context = seed() + ", plain run " + plain.result.metrics();
        assertThat(plain.result.outputs().get("output")).as(context).hasSizeGreaterThan(1_000);
        assertThat(plain.result.late()).as(context).isNotEmpty();
        assertThat(plain.result.dlq()).as(context).isNotEmpty();
        assertThat(LiveJobs.duplicates(plain.sessionIds))
                .as("session ids committed twice by the plain run, " + context)
                .isEmpty();
        assertThat(plain.late).as(context).isEqualTo(plain.result.late().size());
        assertThat(plain.dlq).as(context).isEqualTo(plain.result.dlq().size());
        return plain;
    }

    // ------------------------------------------------------------------ the tests

    /**
     * Ten failures, each right after a checkpoint completed. The run is live (unbounded) and the
     * clicks arrive in ten slices, the next one after each failover, so that every failure hits a
     * job with input in flight; a bounded run reads this input so fast that it finishes after one
     * or two failures. The injector fails every attempt below ten: exactly ten failovers.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void injectedFailuresChangeNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Plain expected = plain();
        SessionizationJob job = new SessionizationJob();
        long started = System.nanoTime();
        List<Map<String, List<String>>> slices =
                LiveJobs.slices(expected.inputs, FAILURES, "clicks");
        int injectedBefore = FailureInjector.INJECTED.get();
        AccessExecutionGraph last;
        Committed actual;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            Map<String, String> overrides = new LinkedHashMap<>(live("chaos"));
            overrides.put("chaos.failures", Integer.toString(FAILURES));
            overrides.put("chaos.seed", Long.toString(SEED));
            Configuration conf = configuration(job, 2, overrides, bootstrap);
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
                "[failures] injected failures: %d injected, %d failovers, %d restores from a"
                        + " checkpoint, %d checkpoints, %d ms (%s)%n",
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
    void savepointMidStreamRestoredAtAnotherParallelism(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        Plain expected = plain();
        SessionizationJob job = new SessionizationJob();
        long started = System.nanoTime();
        List<Map<String, List<String>>> halves = LiveJobs.slices(expected.inputs, 2, "clicks");
        String savepoint;
        int committedAtSavepoint;
        RestoredCheckpointStats restored;
        Committed actual;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            Map<String, String> overrides = live("upgrade");
            Configuration before = configuration(job, 2, overrides, bootstrap);
            Topics topics = Topics.of(job, before);
            LiveJobs.createTopics(kafka, job, before, PARTITIONS);
            try (LiveJobs.CommittedCounter counter =
                    new LiveJobs.CommittedCounter(bootstrap, topics.all(), PARTITIONS)) {
                JobClient first = LiveJobs.start(job, before, "tidemark-upgrade-p2-" + job.name());
                try {
                    LiveJobs.load(job, before, bootstrap, halves.get(0), "first half");
                    LiveJobs.await(
                            "some sessions committed before the savepoint (" + seed() + ")",
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
                Configuration after = configuration(job, 4, restore, bootstrap);
                JobClient second = LiveJobs.start(job, after, "tidemark-upgrade-p4-" + job.name());
                try {
                    LiveJobs.load(job, after, bootstrap, halves.get(1), "second half");
                    awaitAll(counter, topics, expected, second);
                    restored =
                            LiveJobs.graph(cluster, second.getJobID())
                                    .getCheckpointStatsSnapshot()
                                    .getLatestRestoredCheckpoint();
                    LiveJobs.stopWithSavepoint(
                            second, tmp.resolve("savepoints-final").toUri().toString());
                } finally {
                    LiveJobs.cancelQuietly(second);
                }
            }
            actual = committed(kafka, topics);
        }
        System.out.printf(
                "[failures] savepoint upgrade p=2 -> p=4: savepoint %s after %d of %d sessions"
                        + " committed; restored checkpoint %s; %d ms (%s)%n",
                savepoint,
                committedAtSavepoint,
                actual.output.size(),
                restored == null ? "none" : restored.getCheckpointId(),
                LiveJobs.millisSince(started),
                seed());

        assertThat(committedAtSavepoint)
                .as("sessions committed before the savepoint, %s", seed())
                .isBetween(1, actual.output.size() - 1);
        assertThat(restored).as("the second job restored the savepoint, %s", seed()).isNotNull();
        assertThat(restored.getExternalPath()).as("restored from, %s", seed()).isEqualTo(savepoint);
        assertSameAsPlain("savepoint at p=2 restored at p=4", expected, actual);
    }

    // ------------------------------------------------------------------ checks

    /** Identical sessions, late and DLQ; each key exactly once; no open transaction. */
    private static void assertSameAsPlain(String run, Plain expected, Committed actual) {
        String context = run + " vs plain run (" + seed() + ")";
        List<String> problems = new ArrayList<>();
        problems.add(
                Differences.ofLines(
                        "sessions", expected.result.outputs().get("output"), actual.output));
        problems.add(Differences.ofLines("late envelopes", expected.result.late(), actual.late));
        problems.add(Differences.ofLines("dlq envelopes", expected.result.dlq(), actual.dlq));
        problems.add(
                Differences.ofSets(
                        "session ids committed (raw records)",
                        expected.sessionIds.keySet(),
                        actual.sessionIds.keySet()));
        Map<String, Integer> duplicates = new LinkedHashMap<>();
        duplicates.putAll(LiveJobs.duplicates(actual.sessionIds));
        duplicates.putAll(LiveJobs.duplicates(actual.lateKeys));
        duplicates.putAll(LiveJobs.duplicates(actual.dlqKeys));
        if (!duplicates.isEmpty()) {
            problems.add("keys committed more than once: " + LiveJobs.first(duplicates, 10));
        }
        if (!actual.openTransactions.isEmpty()) {
            problems.add("transactions left open: " + actual.openTransactions);
        }
        assertThat(problems.stream().filter(p -> p != null && !p.isEmpty()).toList())
                .as(context)
                .isEmpty();
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

    /**
     * A live (unbounded) run: fast checkpoints into files and restarts without back-off (Flink's
     * default exponential back-off would make ten failures take minutes).
     */
    private static Map<String, String> live(String name) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("source.stop", "none");
        settings.putAll(
                LiveJobs.recoverable(Files.createDirectories(tmp.resolve("checkpoints-" + name))));
        return settings;
    }

    private static Configuration configuration(
            TidemarkJob job, int parallelism, Map<String, String> overrides, String bootstrap) {
        return Replay.configuration(
                job,
                new ReplayOptions(PARTITIONS, parallelism, ExecutionMode.STREAMING, overrides),
                bootstrap);
    }

    /** Waits until as many records are committed as the plain run committed, per topic. */
    private static void awaitAll(
            LiveJobs.CommittedCounter counter, Topics topics, Plain expected, JobClient client)
            throws Exception {
        Map<String, Integer> target = new HashMap<>();
        target.put(topics.output, LiveJobs.total(expected.sessionIds));
        target.put(topics.late, expected.late);
        target.put(topics.dlq, expected.dlq);
        LiveJobs.await(
                "committed records " + target + " (" + seed() + ")",
                STEP_DEADLINE,
                client,
                () -> LiveJobs.reached(counter.counts(), target));
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
