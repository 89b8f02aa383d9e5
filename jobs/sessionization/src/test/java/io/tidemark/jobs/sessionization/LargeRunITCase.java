package io.tidemark.jobs.sessionization;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.ClickGenerator;
import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.chaos.FailureInjection;
import io.tidemark.common.local.chaos.FailureInjector;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.live.LiveJobs;
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
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The large run of issue 5: a million clicks through the sessionization job under injected failures
 * and TaskManager losses, with the exactly-once checks of {@link FailuresAndUpgradesITCase} at that
 * size. Not part of the default build: it runs only with the {@code large-run} Maven profile
 * ({@code ./mvnw -B verify -pl jobs/sessionization -Plarge-run}, see docs/large-run.md).
 *
 * <ol>
 *   <li>A seeded, messy click stream ({@code tidemark.large.events} distinct valid clicks, default
 *       1,000,000, plus disorder within B, late clicks, duplicates, bad records of every reason and
 *       one heartbeat per partition) is generated.
 *   <li>The plain run: the job bounded ({@link Replay#run}), p=2, on a fresh broker. Its committed
 *       sessions, late and DLQ envelopes are what every other run must commit.
 *   <li>The large run: the same job live (unbounded), p=4 on three TaskManagers with two slots
 *       each, on another fresh broker. The input arrives in {@code failures + losses + 1} slices.
 *       During the first {@code failures} slices the job fails right after a checkpoint in each of
 *       its first {@code failures} attempts (a {@code FailureInjection} around the real topology);
 *       during the next {@code losses} slices the TaskManager running a source subtask is
 *       terminated (and a new one started) once the slice's sessions are being committed; the last
 *       slice runs undisturbed. The run ends with stop-with-savepoint.
 *   <li>Checks: canonical committed sessions, late and DLQ envelopes equal the plain run's; raw
 *       committed records: every key of the plain run exactly once (duplicates = 0, lost = 0); no
 *       transaction left open on the broker.
 * </ol>
 *
 * <p>Seeded ({@code -Dtidemark.seed=N}); sizes overridable by {@code -Dtidemark.large.events},
 * {@code .users}, {@code .failures}, {@code .losses}. Nothing waits on time: every step waits on a
 * condition with a deadline. Prints one {@code [large-run] summary} line with the figures.
 */
class LargeRunITCase {

    /** Three TaskManagers with two slots each: one can be lost while p=4 still has slots. */
    @RegisterExtension
    static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension(3, 2);

    private static final long SEED = Long.getLong("tidemark.seed", 0x1A26_E000L);
    private static final int EVENTS = Integer.getInteger("tidemark.large.events", 1_000_000);
    private static final int USERS = Integer.getInteger("tidemark.large.users", 10_000);
    private static final int FAILURES = Integer.getInteger("tidemark.large.failures", 10);
    private static final int TM_LOSSES = Integer.getInteger("tidemark.large.losses", 5);
    private static final int PARTITIONS = 4;
    private static final int PLAIN_PARALLELISM = 2;
    private static final int LIVE_PARALLELISM = 4;
    private static final Duration STEP_DEADLINE = Duration.ofMinutes(3);
    private static final Duration FINAL_DEADLINE = Duration.ofMinutes(10);

    @TempDir static Path tmp;

    /** What the plain bounded run committed, canonical and raw (keys counted). */
    private record Plain(ReplayResult result, Map<String, Map<String, Integer>> keys) {}

    /** What the large run committed, canonical and raw. */
    private record Committed(
            List<String> output,
            List<String> late,
            List<String> dlq,
            Map<String, Map<String, Integer>> keys,
            List<String> openTransactions) {}

    /** Figures of the large run, for the summary line. */
    private record LiveRun(
            Committed committed,
            int injected,
            List<Integer> lostTaskManagers,
            int failovers,
            long restores,
            long checkpoints,
            long millis) {}

    private static String seed() {
        return "seed " + SEED;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void millionClicksUnderFailuresAndTaskManagerLossCommitExactlyThePlainRun(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        long started = System.nanoTime();
        ClickGenerator.Spec spec =
                ClickGenerator.Spec.builder()
                        .seed(SEED)
                        .events(EVENTS)
                        .users(USERS)
                        .partitions(PARTITIONS)
                        .boundMs(SessionReferenceModel.DEFAULT_BOUND_MS)
                        .fractionWithinBound(0.2)
                        .fractionLate(0.01)
                        .fractionDuplicates(0.01)
                        .badPerReason(5)
                        .heartbeats(true)
                        .build();
        List<String> clicks = ClickGenerator.generate(spec);
        Map<String, List<String>> inputs = Map.of("clicks", clicks);
        long generateMillis = LiveJobs.millisSince(started);
        System.out.printf(
                "[large-run] generated %,d input records (%s) in %d ms%n",
                clicks.size(), spec, generateMillis);

        long plainStarted = System.nanoTime();
        Plain plain = plainRun(inputs);
        long plainMillis = LiveJobs.millisSince(plainStarted);
        System.out.printf(
                "[large-run] plain bounded run p=%d (%s): %s in %d ms%n",
                PLAIN_PARALLELISM, seed(), plain.result.metrics(), plainMillis);

        LiveRun live = liveRun(cluster, inputs, plain);

        Map<String, Integer> duplicates = new LinkedHashMap<>();
        Map<String, Integer> lost = new LinkedHashMap<>();
        for (String topic : plain.keys.keySet()) {
            Map<String, Integer> expected = plain.keys.get(topic);
            Map<String, Integer> actual = live.committed.keys.getOrDefault(topic, Map.of());
            actual.forEach(
                    (key, count) -> {
                        if (count > 1) {
                            duplicates.put(topic + "/" + key, count - 1);
                        }
                    });
            expected.forEach(
                    (key, count) -> {
                        int missing = count - actual.getOrDefault(key, 0);
                        if (missing > 0) {
                            lost.put(topic + "/" + key, missing);
                        }
                    });
        }
        int duplicateCount = duplicates.values().stream().mapToInt(Integer::intValue).sum();
        int lostCount = lost.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(
                "[large-run] summary: events=%d (distinct valid clicks %d), sessions=%d, late=%d,"
                        + " dlq=%d, failures injected=%d, TaskManager losses=%d (indexes %s),"
                        + " failovers=%d, restores=%d, checkpoints=%d, duplicates=%d, lost=%d,"
                        + " open transactions=%d, wall time: generate %d ms, plain run %d ms,"
                        + " large run %d ms, total %d ms (%s, %d TMs x 2 slots, p=%d, %d"
                        + " partitions, %d cores, max heap %d MiB)%n",
                clicks.size(),
                EVENTS,
                plain.result.outputs().get("output").size(),
                plain.result.late().size(),
                plain.result.dlq().size(),
                live.injected,
                live.lostTaskManagers.size(),
                live.lostTaskManagers,
                live.failovers,
                live.restores,
                live.checkpoints,
                duplicateCount,
                lostCount,
                live.committed.openTransactions.size(),
                generateMillis,
                plainMillis,
                live.millis,
                LiveJobs.millisSince(started),
                seed(),
                3,
                LIVE_PARALLELISM,
                PARTITIONS,
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        String context = "large run vs plain run (" + seed() + ")";
        assertThat(live.injected)
                .as("failures injected after a completed checkpoint, %s", seed())
                .isGreaterThanOrEqualTo(FAILURES);
        assertThat(live.lostTaskManagers).as("TaskManagers lost, %s", seed()).hasSize(TM_LOSSES);
        assertThat(live.failovers)
                .as("failovers, %s", seed())
                .isGreaterThanOrEqualTo(FAILURES + TM_LOSSES);
        List<String> problems = new ArrayList<>();
        problems.add(
                Differences.ofLines(
                        "sessions", plain.result.outputs().get("output"), live.committed.output));
        problems.add(
                Differences.ofLines("late envelopes", plain.result.late(), live.committed.late));
        problems.add(Differences.ofLines("dlq envelopes", plain.result.dlq(), live.committed.dlq));
        if (!duplicates.isEmpty()) {
            problems.add(duplicateCount + " duplicates, e.g. " + LiveJobs.first(duplicates, 10));
        }
        if (!lost.isEmpty()) {
            problems.add(lostCount + " lost, e.g. " + LiveJobs.first(lost, 10));
        }
        if (!live.committed.openTransactions.isEmpty()) {
            problems.add("transactions left open: " + live.committed.openTransactions);
        }
        assertThat(problems.stream().filter(p -> p != null && !p.isEmpty()).toList())
                .as(context)
                .isEmpty();
    }

    // ------------------------------------------------------------------ the two runs

    private static Plain plainRun(Map<String, List<String>> inputs) throws Exception {
        SessionizationJob job = new SessionizationJob();
        ReplayOptions options =
                ReplayOptions.defaults()
                        .withPartitions(PARTITIONS)
                        .withParallelism(PLAIN_PARALLELISM);
        Plain plain;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            ReplayResult result = Replay.run(job, inputs, options, kafka);
            Topics topics = Topics.of(job, Replay.configuration(job, options, "unused:0"));
            plain = new Plain(result, keyCounts(kafka.bootstrapServers(), topics));
        }
        // The comparison proves little unless the input exercises every outcome.
        String context = seed() + ", plain run " + plain.result.metrics();
        assertThat(plain.result.outputs().get("output")).as(context).hasSizeGreaterThan(USERS);
        assertThat(plain.result.late()).as(context).isNotEmpty();
        assertThat(plain.result.dlq()).as(context).isNotEmpty();
        plain.keys.forEach(
                (topic, counts) ->
                        assertThat(LiveJobs.duplicates(counts))
                                .as(
                                        "keys of %s committed twice by the plain run, %s",
                                        topic, context)
                                .isEmpty());
        assertThat(plain.keys.values())
                .as("raw committed records of the plain run vs its canonical output, " + context)
                .extracting(LiveJobs::total)
                .containsExactly(
                        plain.result.outputs().get("output").size(),
                        plain.result.late().size(),
                        plain.result.dlq().size());
        return plain;
    }

    private static LiveRun liveRun(
            MiniCluster cluster, Map<String, List<String>> inputs, Plain expected)
            throws Exception {
        SessionizationJob job = new SessionizationJob();
        long started = System.nanoTime();
        List<Map<String, List<String>>> slices =
                LiveJobs.slices(inputs, FAILURES + TM_LOSSES + 1, "clicks");
        int injectedBefore = FailureInjector.INJECTED.get();
        List<Integer> killed = new ArrayList<>();
        AccessExecutionGraph last;
        Committed actual;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            Path checkpoints = Files.createDirectories(tmp.resolve("checkpoints"));
            Map<String, String> overrides = new LinkedHashMap<>();
            overrides.put("source.stop", "none");
            overrides.put("checkpoint.interval", "300 ms");
            overrides.put("checkpoint.dir", checkpoints.toUri().toString());
            // Restarts without back-off: Flink's default exponential back-off would make fifteen
            // failovers take minutes.
            overrides.put("flink.restart-strategy.type", "fixed-delay");
            overrides.put("flink.restart-strategy.fixed-delay.attempts", "1000");
            overrides.put("flink.restart-strategy.fixed-delay.delay", "100 ms");
            Configuration conf =
                    Replay.configuration(
                            job,
                            new ReplayOptions(
                                    PARTITIONS,
                                    LIVE_PARALLELISM,
                                    ExecutionMode.STREAMING,
                                    overrides),
                            bootstrap);
            Topics topics = Topics.of(job, conf);
            LiveJobs.createTopics(kafka, job, conf, PARTITIONS);
            JobClient client =
                    LiveJobs.start(
                            job,
                            conf,
                            new FailureInjection(FAILURES, SEED),
                            "tidemark-large-run-" + job.name());
            JobID id = client.getJobID();
            try (LiveJobs.CommittedCounter counter =
                    new LiveJobs.CommittedCounter(bootstrap, topics.all(), PARTITIONS)) {
                int s = 0;
                // Phase 1: the injector fails attempts 0 .. FAILURES-1, each after 1-3 checkpoints.
                for (; s < FAILURES; s++) {
                    LiveJobs.load(job, conf, bootstrap, slices.get(s), "slice " + s);
                    int failover = s + 1;
                    LiveJobs.await(
                            "injected failover " + failover + " (" + seed() + ")",
                            STEP_DEADLINE,
                            client,
                            () -> LiveJobs.maxAttempt(LiveJobs.graph(cluster, id)) >= failover);
                }
                LiveJobs.await(
                        "all subtasks running after the injected failures (" + seed() + ")",
                        STEP_DEADLINE,
                        client,
                        () -> {
                            AccessExecutionGraph g = LiveJobs.graph(cluster, id);
                            return LiveJobs.maxAttempt(g) >= FAILURES && LiveJobs.allRunning(g);
                        });
                System.out.printf(
                        "[large-run]   %d injected failovers done after %d ms%n",
                        FAILURES, LiveJobs.millisSince(started));
                // Phase 2: a TaskManager running the job is lost once per slice.
                for (; s < FAILURES + TM_LOSSES; s++) {
                    int before = counter.count(topics.output);
                    LiveJobs.load(job, conf, bootstrap, slices.get(s), "slice " + s);
                    String slice = " after slice " + s + " (" + seed() + ")";
                    LiveJobs.await(
                            "committed sessions to grow past " + before + slice,
                            STEP_DEADLINE,
                            client,
                            () -> counter.count(topics.output) > before);
                    int attempt = LiveJobs.maxAttempt(LiveJobs.graph(cluster, id));
                    killed.add(LiveJobs.replaceTaskManagerOf(cluster, id));
                    int losses = killed.size();
                    LiveJobs.await(
                            "the job to run again after TaskManager loss " + losses + slice,
                            STEP_DEADLINE,
                            client,
                            () -> {
                                AccessExecutionGraph g = LiveJobs.graph(cluster, id);
                                return LiveJobs.maxAttempt(g) > attempt && LiveJobs.allRunning(g);
                            });
                    long checkpointsBefore =
                            LiveJobs.completedCheckpoints(LiveJobs.graph(cluster, id));
                    LiveJobs.await(
                            "a checkpoint after recovery " + losses + slice,
                            STEP_DEADLINE,
                            client,
                            () ->
                                    LiveJobs.completedCheckpoints(LiveJobs.graph(cluster, id))
                                            > checkpointsBefore);
                }
                System.out.printf(
                        "[large-run]   %d TaskManager losses done after %d ms%n",
                        killed.size(), LiveJobs.millisSince(started));
                // Phase 3: the rest of the input, undisturbed.
                for (; s < slices.size(); s++) {
                    LiveJobs.load(job, conf, bootstrap, slices.get(s), "slice " + s);
                }
                awaitAll(counter, topics, expected, client);
                LiveJobs.await(
                        "all subtasks running before the final savepoint (" + seed() + ")",
                        STEP_DEADLINE,
                        client,
                        () -> LiveJobs.allRunning(LiveJobs.graph(cluster, id)));
                last = LiveJobs.graph(cluster, id);
                LiveJobs.stopWithSavepoint(client, tmp.resolve("final").toUri().toString());
            } finally {
                LiveJobs.cancelQuietly(client);
            }
            actual = committed(kafka, topics);
        }
        return new LiveRun(
                actual,
                FailureInjector.INJECTED.get() - injectedBefore,
                killed,
                LiveJobs.maxAttempt(last),
                LiveJobs.restoredCheckpoints(last),
                LiveJobs.completedCheckpoints(last),
                LiveJobs.millisSince(started));
    }

    // ------------------------------------------------------------------ helpers

    private static Committed committed(EmbeddedKafka kafka, Topics topics) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        CommittedReader.awaitSettled(bootstrap, topics.all(), CommittedReader.DEFAULT_TIMEOUT);
        Committed committed =
                new Committed(
                        CommittedReader.canonicalLinesLastPerKey(bootstrap, topics.output),
                        CommittedReader.canonicalLinesLastPerKey(bootstrap, topics.late),
                        CommittedReader.canonicalLinesLastPerKey(bootstrap, topics.dlq),
                        keyCounts(bootstrap, topics),
                        LiveJobs.openTransactions(kafka.admin()));
        System.out.printf(
                "[large-run]   transactions on the broker by state: %s%n",
                LiveJobs.transactionStates(kafka.admin()));
        return committed;
    }

    /** Raw committed records per key, per topic (output, late, dlq). */
    private static Map<String, Map<String, Integer>> keyCounts(String bootstrap, Topics topics) {
        Map<String, Map<String, Integer>> keys = new LinkedHashMap<>();
        keys.put("output", LiveJobs.keyCounts(bootstrap, topics.output));
        keys.put("late", LiveJobs.keyCounts(bootstrap, topics.late));
        keys.put("dlq", LiveJobs.keyCounts(bootstrap, topics.dlq));
        return keys;
    }

    /** Waits until as many records are committed as the plain run committed, per topic. */
    private static void awaitAll(
            LiveJobs.CommittedCounter counter, Topics topics, Plain expected, JobClient client)
            throws Exception {
        Map<String, Integer> target = new HashMap<>();
        target.put(topics.output, LiveJobs.total(expected.keys.get("output")));
        target.put(topics.late, LiveJobs.total(expected.keys.get("late")));
        target.put(topics.dlq, LiveJobs.total(expected.keys.get("dlq")));
        LiveJobs.await(
                "committed records " + target + " (" + seed() + ")",
                FINAL_DEADLINE,
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
