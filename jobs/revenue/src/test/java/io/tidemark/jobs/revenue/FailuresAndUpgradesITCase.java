package io.tidemark.jobs.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.OrderGenerator;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.live.LiveJobs;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.testing.scenario.ShopInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * TaskManager loss never changes what the revenue job commits (DESIGN.md §1, "failures"). One
 * seeded shop is run once plainly — bounded, p=2, on a fresh broker — and then live, in slices,
 * losing a TaskManager after each of the first slices and ending with a stop-with-savepoint. The
 * live run must commit the plain run's canonical minute and hour windows, late and DLQ envelopes,
 * and pass the exactly-once checks on the raw committed records: every window key ({@code
 * category|region|currency|windowStart}) of the plain run exactly once (a lost window shows as a
 * missing key, a replayed one as a second record), and no transaction left open on the broker.
 *
 * <p>Seeded: {@code -Dtidemark.seed=N} reruns with another seed; every failure message names it.
 * Nothing waits on time: each step waits on a condition with a deadline.
 */
class FailuresAndUpgradesITCase {

    /** Three TaskManagers with two slots each, so one can be lost while the job keeps slots. */
    @RegisterExtension
    static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension(3, 2);

    private static final long SEED = Long.getLong("tidemark.seed", 20261126L);
    private static final int PARTITIONS = 2;
    private static final int ORDERS = 3_000;
    private static final int TM_LOSSES = 5;
    private static final Duration STEP_DEADLINE = Duration.ofSeconds(60);

    @TempDir static Path tmp;

    /** The plain bounded run the live run is compared with. */
    private record Plain(
            Map<String, List<String>> inputs,
            ReplayResult result,
            Map<String, Integer> minuteKeys,
            Map<String, Integer> hourKeys,
            int late,
            int dlq) {}

    /** What one run committed, canonical and raw. */
    private record Committed(
            List<String> minutes,
            List<String> hours,
            List<String> late,
            List<String> dlq,
            Map<String, Integer> minuteKeys,
            Map<String, Integer> hourKeys,
            Map<String, Integer> lateKeys,
            Map<String, Integer> dlqKeys,
            List<String> openTransactions) {}

    private static String seed() {
        return "seed " + SEED;
    }

    private static Plain plain() throws Exception {
        OrderGenerator.Spec spec =
                OrderGenerator.Spec.builder()
                        .seed(SEED)
                        .orders(ORDERS)
                        .customers(300)
                        .products(50)
                        .partitions(PARTITIONS)
                        .productUpdates(120)
                        .customerUpdates(90)
                        .heartbeats(true)
                        .build();
        Map<String, List<String>> inputs = ShopInputs.of(OrderGenerator.generate(spec));
        long started = System.nanoTime();
        RevenueJob job = new RevenueJob();
        Plain plain;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            ReplayOptions options = ReplayOptions.defaults().withPartitions(PARTITIONS);
            ReplayResult result = Replay.run(job, inputs, options, kafka);
            Topics topics = Topics.of(job, Replay.configuration(job, options, "unused:0"));
            String bootstrap = kafka.bootstrapServers();
            plain =
                    new Plain(
                            inputs,
                            result,
                            LiveJobs.keyCounts(bootstrap, topics.minutes),
                            LiveJobs.keyCounts(bootstrap, topics.hours),
                            LiveJobs.total(LiveJobs.keyCounts(bootstrap, topics.late)),
                            LiveJobs.total(LiveJobs.keyCounts(bootstrap, topics.dlq)));
            System.out.printf(
                    "[failures] plain bounded run p=2 (%s): %s in %d ms%n",
                    seed(), result.metrics(), LiveJobs.millisSince(started));
        }
        String context = seed() + ", plain run " + plain.result.metrics();
        assertThat(plain.result.outputs().get("output-1m")).as(context).hasSizeGreaterThan(100);
        assertThat(plain.result.outputs().get("output-1h")).as(context).isNotEmpty();
        assertThat(LiveJobs.duplicates(plain.minuteKeys))
                .as("minute windows committed twice by the plain run, " + context)
                .isEmpty();
        assertThat(LiveJobs.duplicates(plain.hourKeys))
                .as("hour windows committed twice by the plain run, " + context)
                .isEmpty();
        assertThat(LiveJobs.total(plain.minuteKeys))
                .as(context)
                .isEqualTo(plain.result.outputs().get("output-1m").size());
        assertThat(LiveJobs.total(plain.hourKeys))
                .as(context)
                .isEqualTo(plain.result.outputs().get("output-1h").size());
        return plain;
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void taskManagerLossChangesNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Plain expected = plain();
        RevenueJob job = new RevenueJob();
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
                    int before = counter.count(topics.minutes);
                    LiveJobs.load(job, conf, bootstrap, slices.get(s), "slice " + s);
                    LiveJobs.await(
                            "committed minute windows to grow past "
                                    + before
                                    + " after slice "
                                    + s
                                    + " ("
                                    + seed()
                                    + ")",
                            STEP_DEADLINE,
                            client,
                            () -> counter.count(topics.minutes) > before);
                    if (losses < TM_LOSSES) {
                        int attempt = LiveJobs.maxAttempt(LiveJobs.graph(cluster, id));
                        killed.add(LiveJobs.replaceTaskManagerOf(cluster, id));
                        losses++;
                        int loss = losses;
                        LiveJobs.await(
                                "the job to fail over and run again after TaskManager loss "
                                        + loss
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
                                "a checkpoint after recovery " + loss + " (" + seed() + ")",
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

    // ------------------------------------------------------------------ checks

    /** Identical canonical windows, late and DLQ; each key exactly once; no open transaction. */
    private static void assertSameAsPlain(String run, Plain expected, Committed actual) {
        String context = run + " vs plain run (" + seed() + ")";
        List<String> problems = new ArrayList<>();
        addIfNotNull(
                problems,
                lines("output-1m", expected.result.outputs().get("output-1m"), actual.minutes));
        addIfNotNull(
                problems,
                lines("output-1h", expected.result.outputs().get("output-1h"), actual.hours));
        addIfNotNull(problems, lines("late", expected.result.late(), actual.late));
        addIfNotNull(problems, lines("dlq", expected.result.dlq(), actual.dlq));
        if (!expected.minuteKeys.keySet().equals(actual.minuteKeys.keySet())) {
            problems.add(
                    "minute window keys committed (raw records) differ: "
                            + keyDifference(expected.minuteKeys, actual.minuteKeys));
        }
        if (!expected.hourKeys.keySet().equals(actual.hourKeys.keySet())) {
            problems.add(
                    "hour window keys committed (raw records) differ: "
                            + keyDifference(expected.hourKeys, actual.hourKeys));
        }
        Map<String, Integer> duplicates = new LinkedHashMap<>();
        duplicates.putAll(prefixed("output-1m ", LiveJobs.duplicates(actual.minuteKeys)));
        duplicates.putAll(prefixed("output-1h ", LiveJobs.duplicates(actual.hourKeys)));
        duplicates.putAll(prefixed("late ", LiveJobs.duplicates(actual.lateKeys)));
        duplicates.putAll(prefixed("dlq ", LiveJobs.duplicates(actual.dlqKeys)));
        if (!duplicates.isEmpty()) {
            problems.add("keys committed more than once: " + LiveJobs.first(duplicates, 10));
        }
        if (!actual.openTransactions.isEmpty()) {
            problems.add("transactions left open: " + actual.openTransactions);
        }
        assertThat(problems).as(context).isEmpty();
    }

    /** Null if equal, else the sizes and the first line that differs. */
    private static String lines(String what, List<String> expected, List<String> actual) {
        List<String> e = Objects.requireNonNullElse(expected, List.of());
        List<String> a = Objects.requireNonNullElse(actual, List.of());
        if (e.equals(a)) {
            return null;
        }
        for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
            if (!e.get(i).equals(a.get(i))) {
                return String.format(
                        "%s: %d lines expected, %d committed; first difference at line %d:"
                                + " expected %s, committed %s",
                        what, e.size(), a.size(), i, e.get(i), a.get(i));
            }
        }
        return String.format(
                "%s: %d lines expected, %d committed (one is a prefix of the other)",
                what, e.size(), a.size());
    }

    private static String keyDifference(
            Map<String, Integer> expected, Map<String, Integer> actual) {
        List<String> missing =
                expected.keySet().stream().filter(k -> !actual.containsKey(k)).limit(10).toList();
        List<String> extra =
                actual.keySet().stream().filter(k -> !expected.containsKey(k)).limit(10).toList();
        return "missing " + missing + ", unexpected " + extra;
    }

    private static Committed committed(EmbeddedKafka kafka, Topics topics) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        CommittedReader.awaitSettled(bootstrap, topics.all(), CommittedReader.DEFAULT_TIMEOUT);
        Committed committed =
                new Committed(
                        CommittedReader.canonicalLinesLastPerKey(bootstrap, topics.minutes),
                        CommittedReader.canonicalLinesLastPerKey(bootstrap, topics.hours),
                        CommittedReader.canonicalLinesLastPerKey(bootstrap, topics.late),
                        CommittedReader.canonicalLinesLastPerKey(bootstrap, topics.dlq),
                        LiveJobs.keyCounts(bootstrap, topics.minutes),
                        LiveJobs.keyCounts(bootstrap, topics.hours),
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
        target.put(topics.minutes, LiveJobs.total(expected.minuteKeys));
        target.put(topics.hours, LiveJobs.total(expected.hourKeys));
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

    private static Map<String, Integer> prefixed(String prefix, Map<String, Integer> map) {
        Map<String, Integer> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    /** The topics one run writes. */
    private record Topics(String minutes, String hours, String late, String dlq) {
        static Topics of(TidemarkJob job, Configuration conf) {
            return new Topics(
                    topic(job.resultTopics(conf), "output-1m"),
                    topic(job.resultTopics(conf), "output-1h"),
                    topic(job.errorTopics(conf), "late"),
                    topic(job.errorTopics(conf), "dlq"));
        }

        private static String topic(List<JobTopic> topics, String role) {
            return topics.stream()
                    .filter(t -> t.role().equals(role))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no topic for role " + role))
                    .topic();
        }

        List<String> all() {
            return List.of(minutes, hours, late, dlq);
        }
    }
}
