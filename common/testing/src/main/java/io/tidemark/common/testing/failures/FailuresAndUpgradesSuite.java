package io.tidemark.common.testing.failures;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.chaos.FailureInjection;
import io.tidemark.common.local.chaos.FailureInjector;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.testing.ReadModelTables;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.live.LiveJobs;
import io.tidemark.common.testing.scenario.Differences;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * Failures and savepoint upgrades never change what a job commits (DESIGN.md §1, "failures" and
 * "stop / resume"), proved the same way for every job. A job's ITCase extends this class and names
 * its {@link Subject}: the job and one seeded, messy input (disorder within B, late records, bad
 * records). The input is run once plainly — bounded, p=2, on a fresh broker — and then live, on
 * three TaskManagers:
 *
 * <ul>
 *   <li>under ten failures injected right after checkpoints (a {@link FailureInjection} wrapped
 *       around the real topology; the job itself knows nothing of it);
 *   <li>under five TaskManager losses, each while input is in flight;
 *   <li>across a stop-with-savepoint mid-stream, restored at another parallelism.
 * </ul>
 *
 * Each run must commit the plain run's canonical results, late and DLQ envelopes, and pass the
 * exactly-once checks on the raw committed records: every result key of the plain run exactly once
 * (a lost result shows as a missing key, a replayed one as a second record), no envelope twice, and
 * no transaction left open on the broker.
 *
 * <p>Live runs receive their input in slices, the next one after each failure, so every failure
 * hits a job with input in flight: a bounded run reads these inputs in well under a second and
 * would finish after one or two failures. Nothing waits on time: each step waits on a condition
 * (output committed, subtasks running again, a checkpoint completed) with a deadline. Seeded:
 * {@code -Dtidemark.seed=N} reruns with another seed; every failure message names it.
 */
public abstract class FailuresAndUpgradesSuite {

    /** Three TaskManagers with two slots each: one can be lost while the job keeps its slots. */
    @RegisterExtension
    protected static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension(3, 2);

    protected static final int FAILURES = 10;
    protected static final int TM_LOSSES = 5;
    private static final Duration STEP_DEADLINE = Duration.ofSeconds(90);
    private static final long SLOW_STEP_MS = 1_000;

    /** The plain run of each subject, made once per test class. */
    private static final Map<Class<?>, Plain> PLAIN = new ConcurrentHashMap<>();

    @TempDir static Path tmp;

    /**
     * The job under test and its input.
     *
     * @param inputs role → JSON lines, seeded; must produce results, late and DLQ records
     * @param leadRole the input whose lines set the slices' event-time ranges (e.g. {@code orders})
     * @param partitions partitions of every topic
     * @param seed the seed the inputs were generated with, named in every failure message
     */
    public record Subject(
            TidemarkJob job,
            Map<String, List<String>> inputs,
            String leadRole,
            int partitions,
            long seed) {

        /**
         * The parallelism the savepoint is restored at: 4 when the topics have that many
         * partitions, else 1. Not more subtasks than partitions: a source reader left without a
         * split never advances its watermark (there is no processing-time idleness, by design), so
         * a live job stalls — measured: the 2-partition enrichment input restored at p=4 committed
         * nothing more within 90 s. A draining stop hides this, since it ends with the maximum
         * watermark.
         */
        public int restoreParallelism() {
            return partitions >= 4 ? 4 : 1;
        }
    }

    /** The job and the seeded input every test of the class runs. */
    protected abstract Subject subject();

    /**
     * The job's PostgreSQL read model, when the TaskManager-loss run should write it too and check
     * that, after the losses, every table equals its topic row for row; {@code null} (the default)
     * = Kafka only.
     */
    protected ReadModelTables readModel() {
        return null;
    }

    // ------------------------------------------------------------------ the tests

    /**
     * Ten failures, each right after a checkpoint completed. The injector fails every attempt below
     * ten, so the run has exactly ten failovers.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void injectedFailuresChangeNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Subject subject = subject();
        Plain expected = plain(subject);
        List<Map<String, List<String>>> slices =
                LiveJobs.slices(subject.inputs(), FAILURES, subject.leadRole());
        int injectedBefore = FailureInjector.INJECTED.get();
        AccessExecutionGraph last;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Live live = new Live(subject, kafka, "chaos", 2, Map.of());
            live.createTopics();
            JobClient client = live.start(new FailureInjection(FAILURES, subject.seed()));
            JobID id = client.getJobID();
            try (LiveJobs.CommittedCounter counter = live.counter()) {
                for (int s = 0; s < slices.size(); s++) {
                    live.load(slices.get(s), "slice " + s);
                    int failover = s + 1;
                    live.await(
                            "injected failover " + failover,
                            client,
                            () -> LiveJobs.maxAttempt(LiveJobs.graph(cluster, id)) >= failover);
                }
                live.awaitAll(counter, expected, client);
                // The last failover may still be restarting; a savepoint needs every task.
                live.await(
                        "all subtasks running after the last failover",
                        client,
                        () -> LiveJobs.allRunning(LiveJobs.graph(cluster, id)));
                last = LiveJobs.graph(cluster, id);
                LiveJobs.stopWithSavepoint(client, tmp.resolve("chaos-final").toUri().toString());
            } finally {
                LiveJobs.cancelQuietly(client);
            }
            Committed actual = live.committed();
            int injected = FailureInjector.INJECTED.get() - injectedBefore;
            report(
                    subject,
                    "%d failures injected, %d failovers, %d restores, %d checkpoints, %d ms",
                    injected,
                    LiveJobs.maxAttempt(last),
                    LiveJobs.restoredCheckpoints(last),
                    LiveJobs.completedCheckpoints(last),
                    live.millis());
            assertThat(injected)
                    .as("failures injected after a completed checkpoint, %s", seed(subject))
                    .isGreaterThanOrEqualTo(FAILURES);
            assertThat(LiveJobs.maxAttempt(last))
                    .as("failovers, %s", seed(subject))
                    .isEqualTo(FAILURES);
            assertSameAsPlain("injected failures", subject, expected, actual);
        }
    }

    /**
     * After each of the first slices is written and two checkpoints followed, the TaskManager
     * running the job is replaced by a new one; the job fails over, restores its last checkpoint
     * and must complete a new one before the next slice arrives.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void taskManagerLossChangesNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Subject subject = subject();
        Plain expected = plain(subject);
        List<Map<String, List<String>>> slices =
                LiveJobs.slices(subject.inputs(), TM_LOSSES + 1, subject.leadRole());
        List<Integer> killed = new ArrayList<>();
        AccessExecutionGraph last;
        ReadModelTables readModel = readModel();
        if (readModel != null) {
            readModel.reset();
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Live live =
                    new Live(
                            subject,
                            kafka,
                            "tm-loss",
                            2,
                            readModel == null ? Map.of() : readModel.settings());
            live.createTopics();
            JobClient client = live.start(InputTap.NONE);
            JobID id = client.getJobID();
            try (LiveJobs.CommittedCounter counter = live.counter()) {
                live.await(
                        "all subtasks running",
                        client,
                        () -> LiveJobs.allRunning(LiveJobs.graph(cluster, id)));
                for (int s = 0; s < slices.size(); s++) {
                    long loadedAt = LiveJobs.completedCheckpoints(LiveJobs.graph(cluster, id));
                    live.load(slices.get(s), "slice " + s);
                    // Kill once two checkpoints completed after the slice was written, so that
                    // every loss has the slice's state to restore (results may not be due yet: a
                    // session closes only when the watermark passes its end). Not the consumer
                    // group's offsets: the source commits them lazily, measured ~10 s behind.
                    live.await(
                            "two checkpoints after slice " + s,
                            client,
                            () ->
                                    LiveJobs.completedCheckpoints(LiveJobs.graph(cluster, id))
                                            >= loadedAt + 2);
                    if (killed.size() < TM_LOSSES) {
                        int attempt = LiveJobs.maxAttempt(LiveJobs.graph(cluster, id));
                        long replacing = System.nanoTime();
                        killed.add(LiveJobs.replaceTaskManagerOf(cluster, id));
                        report(
                                subject,
                                "  TaskManager %d replaced in %d ms",
                                killed.get(killed.size() - 1),
                                millis(replacing));
                        live.await(
                                "the job to run again after TaskManager loss " + killed.size(),
                                client,
                                () -> {
                                    AccessExecutionGraph g = LiveJobs.graph(cluster, id);
                                    return LiveJobs.maxAttempt(g) > attempt
                                            && LiveJobs.allRunning(g);
                                });
                        long checkpoints =
                                LiveJobs.completedCheckpoints(LiveJobs.graph(cluster, id));
                        live.await(
                                "a checkpoint after recovery " + killed.size(),
                                client,
                                () ->
                                        LiveJobs.completedCheckpoints(LiveJobs.graph(cluster, id))
                                                > checkpoints);
                    }
                }
                live.awaitAll(counter, expected, client);
                last = LiveJobs.graph(cluster, id);
                LiveJobs.stopWithSavepoint(client, tmp.resolve("tm-loss-final").toUri().toString());
            } finally {
                LiveJobs.cancelQuietly(client);
            }
            Committed actual = live.committed();
            report(
                    subject,
                    "%d TaskManagers lost (indexes %s), %d failovers, %d restores, %d checkpoints,"
                            + " %d ms",
                    killed.size(),
                    killed,
                    LiveJobs.maxAttempt(last),
                    LiveJobs.restoredCheckpoints(last),
                    LiveJobs.completedCheckpoints(last),
                    live.millis());
            assertThat(killed).as("TaskManagers lost, %s", seed(subject)).hasSize(TM_LOSSES);
            assertThat(LiveJobs.maxAttempt(last))
                    .as("failovers, %s", seed(subject))
                    .isGreaterThanOrEqualTo(TM_LOSSES);
            assertSameAsPlain("TaskManager loss", subject, expected, actual);
            if (readModel != null) {
                assertThat(readModel.differences(actual.lines))
                        .as("PostgreSQL tables vs topics after TaskManager loss, %s", seed(subject))
                        .isEmpty();
            }
        }
    }

    /**
     * The first half of the input, a stop-with-savepoint (not drained: open windows stay in state),
     * then a new job restored from it at {@link Subject#restoreParallelism another parallelism}
     * reads the second half.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void savepointMidStreamRestoredAtAnotherParallelism(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        Subject subject = subject();
        Plain expected = plain(subject);
        List<Map<String, List<String>>> halves =
                LiveJobs.slices(subject.inputs(), 2, subject.leadRole());
        String savepoint;
        int committedAtSavepoint;
        RestoredCheckpointStats restored;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Live before = new Live(subject, kafka, "upgrade", 2, Map.of());
            before.createTopics();
            Live after;
            try (LiveJobs.CommittedCounter counter = before.counter()) {
                JobClient first = before.start(InputTap.NONE);
                try {
                    before.load(halves.get(0), "first half");
                    before.await(
                            "some results committed before the savepoint",
                            first,
                            () -> counter.total(before.resultTopics()) > 0);
                    savepoint =
                            LiveJobs.stopWithSavepoint(
                                    first, tmp.resolve("savepoints").toUri().toString());
                } finally {
                    LiveJobs.cancelQuietly(first);
                }
                committedAtSavepoint = counter.total(before.resultTopics());

                after =
                        new Live(
                                subject,
                                kafka,
                                "upgrade",
                                subject.restoreParallelism(),
                                Map.of("flink.execution.state-recovery.path", savepoint));
                JobClient second = after.start(InputTap.NONE);
                try {
                    after.load(halves.get(1), "second half");
                    after.awaitAll(counter, expected, second);
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
            Committed actual = after.committed();
            int results = expected.totalResults();
            report(
                    subject,
                    "savepoint p=2 -> p=%d: %s after %d of %d results committed; restored"
                            + " checkpoint %s; %d ms",
                    subject.restoreParallelism(),
                    savepoint,
                    committedAtSavepoint,
                    results,
                    restored == null ? "none" : restored.getCheckpointId(),
                    before.millis());
            assertThat(committedAtSavepoint)
                    .as("results committed before the savepoint, %s", seed(subject))
                    .isBetween(1, results - 1);
            assertThat(restored)
                    .as("the second job restored the savepoint, %s", seed(subject))
                    .isNotNull();
            assertThat(restored.getExternalPath())
                    .as("restored from, %s", seed(subject))
                    .isEqualTo(savepoint);
            assertSameAsPlain(
                    "savepoint at p=2 restored at p=" + subject.restoreParallelism(),
                    subject,
                    expected,
                    actual);
        }
    }

    // ------------------------------------------------------------------ the plain run

    /**
     * The plain run's committed records per topic role ({@code output}, …, {@code late}, {@code
     * dlq}): canonical lines and raw key counts.
     */
    private record Plain(Map<String, List<String>> lines, Map<String, Map<String, Integer>> keys) {
        int totalResults() {
            return keys.entrySet().stream()
                    .filter(e -> !isErrorRole(e.getKey()))
                    .mapToInt(e -> LiveJobs.total(e.getValue()))
                    .sum();
        }
    }

    private static Plain plain(Subject subject) {
        return PLAIN.computeIfAbsent(subject.job().getClass(), c -> runPlain(subject));
    }

    private static Plain runPlain(Subject subject) {
        long started = System.nanoTime();
        TidemarkJob job = subject.job();
        ReplayOptions options = ReplayOptions.defaults().withPartitions(subject.partitions());
        Configuration conf = Replay.configuration(job, options, "unused:0");
        Plain plain;
        ReplayResult result;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            result = Replay.run(job, subject.inputs(), options, kafka);
            Map<String, List<String>> lines = new LinkedHashMap<>(result.outputs());
            lines.put("late", result.late());
            lines.put("dlq", result.dlq());
            Map<String, Map<String, Integer>> keys = new LinkedHashMap<>();
            Topics.of(job, conf)
                    .byRole()
                    .forEach(
                            (role, topic) ->
                                    keys.put(
                                            role,
                                            LiveJobs.keyCounts(kafka.bootstrapServers(), topic)));
            plain = new Plain(lines, keys);
        } catch (Exception e) {
            throw new IllegalStateException("the plain run failed, " + seed(subject), e);
        }
        report(subject, "plain bounded run p=2: %s in %d ms", result.metrics(), millis(started));

        // The comparisons prove little unless the input exercises every outcome.
        String context = seed(subject) + ", plain run " + result.metrics();
        plain.lines.forEach(
                (role, lines) ->
                        assertThat(lines)
                                .as("%s of the plain run, %s", role, context)
                                .isNotEmpty());
        plain.keys.forEach(
                (role, counts) -> {
                    assertThat(LiveJobs.duplicates(counts))
                            .as("%s keys committed twice by the plain run, %s", role, context)
                            .isEmpty();
                    assertThat(LiveJobs.total(counts))
                            .as("raw %s records of the plain run, %s", role, context)
                            .isEqualTo(plain.lines.get(role).size());
                });
        return plain;
    }

    // ------------------------------------------------------------------ checks

    /** What one perturbed run committed, per topic role: canonical lines and raw key counts. */
    private record Committed(
            Map<String, List<String>> lines,
            Map<String, Map<String, Integer>> keys,
            List<String> openTransactions) {}

    /** Identical canonical records per topic; each key exactly once; no open transaction. */
    private static void assertSameAsPlain(
            String run, Subject subject, Plain expected, Committed actual) {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> duplicates = new LinkedHashMap<>();
        expected.lines.forEach(
                (role, lines) -> {
                    String linesDiffer = Differences.ofLines(role, lines, actual.lines.get(role));
                    if (!linesDiffer.isEmpty()) {
                        problems.add(linesDiffer);
                    }
                    Map<String, Integer> keys = actual.keys.getOrDefault(role, Map.of());
                    String keysDiffer =
                            Differences.ofSets(
                                    role + " keys committed (raw records)",
                                    expected.keys.get(role).keySet(),
                                    keys.keySet());
                    if (!keysDiffer.isEmpty()) {
                        problems.add(keysDiffer);
                    }
                    LiveJobs.duplicates(keys).forEach((k, n) -> duplicates.put(role + ":" + k, n));
                });
        if (!duplicates.isEmpty()) {
            problems.add("keys committed more than once: " + LiveJobs.first(duplicates, 10));
        }
        if (!actual.openTransactions.isEmpty()) {
            problems.add("transactions left open: " + actual.openTransactions);
        }
        assertThat(problems).as("%s vs plain run (%s)", run, seed(subject)).isEmpty();
    }

    // ------------------------------------------------------------------ a live run

    /** One live (unbounded) run of the subject: its configuration, topics and steps. */
    private static final class Live {
        private final Subject subject;
        private final EmbeddedKafka kafka;
        private final Configuration conf;
        private final Topics topics;
        private final long started = System.nanoTime();

        /**
         * Fast checkpoints into files (they outlive a lost TaskManager) and restarts without
         * back-off (Flink's default exponential back-off would make ten failures take minutes).
         */
        Live(
                Subject subject,
                EmbeddedKafka kafka,
                String name,
                int parallelism,
                Map<String, String> extra) {
            this.subject = subject;
            this.kafka = kafka;
            Map<String, String> overrides;
            try {
                overrides =
                        new LinkedHashMap<>(
                                LiveJobs.recoverable(
                                        Files.createDirectories(
                                                tmp.resolve("checkpoints-" + name))));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            overrides.put("source.stop", "none");
            overrides.putAll(extra);
            this.conf =
                    Replay.configuration(
                            subject.job(),
                            new ReplayOptions(
                                    subject.partitions(),
                                    parallelism,
                                    ExecutionMode.STREAMING,
                                    overrides),
                            kafka.bootstrapServers());
            this.topics = Topics.of(subject.job(), conf);
        }

        void createTopics() {
            LiveJobs.createTopics(kafka, subject.job(), conf, subject.partitions());
        }

        JobClient start(InputTap tap) throws Exception {
            return LiveJobs.start(
                    subject.job(), conf, tap, "tidemark-live-" + subject.job().name());
        }

        void load(Map<String, List<String>> lines, String label) {
            LiveJobs.load(subject.job(), conf, kafka.bootstrapServers(), lines, label);
        }

        LiveJobs.CommittedCounter counter() {
            return new LiveJobs.CommittedCounter(
                    kafka.bootstrapServers(), topics.byRole().values(), subject.partitions());
        }

        List<String> resultTopics() {
            return topics.results();
        }

        void await(String what, JobClient client, LiveJobs.Check condition) throws Exception {
            long started = System.nanoTime();
            LiveJobs.await(what + " (" + seed(subject) + ")", STEP_DEADLINE, client, condition);
            long waited = FailuresAndUpgradesSuite.millis(started);
            if (waited >= SLOW_STEP_MS) {
                // Where the time of a run goes, for whoever makes these tests faster.
                report(subject, "  waited %d ms for %s", waited, what);
            }
        }

        /** Waits until each topic has as many committed records as the plain run committed. */
        void awaitAll(LiveJobs.CommittedCounter counter, Plain expected, JobClient client)
                throws Exception {
            Map<String, Integer> target = new LinkedHashMap<>();
            topics.byRole()
                    .forEach(
                            (role, topic) ->
                                    target.put(topic, LiveJobs.total(expected.keys.get(role))));
            await(
                    "committed records " + target,
                    client,
                    () -> LiveJobs.reached(counter.counts(), target));
        }

        Committed committed() throws Exception {
            String bootstrap = kafka.bootstrapServers();
            CommittedReader.awaitSettled(
                    bootstrap,
                    List.copyOf(topics.byRole().values()),
                    CommittedReader.DEFAULT_TIMEOUT);
            Map<String, List<String>> lines = new LinkedHashMap<>();
            Map<String, Map<String, Integer>> keys = new LinkedHashMap<>();
            topics.byRole()
                    .forEach(
                            (role, topic) -> {
                                lines.put(
                                        role,
                                        CommittedReader.canonicalLinesLastPerKey(bootstrap, topic));
                                keys.put(role, LiveJobs.keyCounts(bootstrap, topic));
                            });
            System.out.printf(
                    "[failures]   %s: transactions on the broker by state: %s%n",
                    subject.job().name(), LiveJobs.transactionStates(kafka.admin()));
            return new Committed(lines, keys, LiveJobs.openTransactions(kafka.admin()));
        }

        long millis() {
            return FailuresAndUpgradesSuite.millis(started);
        }
    }

    /** The topics one run writes, by role: result roles in the job's order, then late and dlq. */
    private record Topics(Map<String, String> byRole) {
        static Topics of(TidemarkJob job, Configuration conf) {
            Map<String, String> byRole = new LinkedHashMap<>();
            job.resultTopics(conf).forEach(t -> byRole.put(t.role(), t.topic()));
            job.errorTopics(conf).forEach(t -> byRole.put(t.role(), t.topic()));
            return new Topics(byRole);
        }

        List<String> results() {
            return byRole.entrySet().stream()
                    .filter(e -> !isErrorRole(e.getKey()))
                    .map(Map.Entry::getValue)
                    .toList();
        }
    }

    private static boolean isErrorRole(String role) {
        return role.equals("late") || role.equals("dlq");
    }

    // ------------------------------------------------------------------ reporting

    private static String seed(Subject subject) {
        return subject.job().name() + ", seed " + subject.seed();
    }

    private static void report(Subject subject, String format, Object... args) {
        System.out.printf("[failures] %s: %s%n", subject.job().name(), String.format(format, args));
    }

    private static long millis(long startedNanos) {
        return LiveJobs.millisSince(startedNanos);
    }
}
