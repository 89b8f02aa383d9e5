package io.tidemark.jobs.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.live.LiveJobs;
import io.tidemark.common.testing.scenario.SampleScenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies of an order on both sides of a stop-with-savepoint count once, exactly as in the
 * uninterrupted run: the {@code duplicate-orders} scenario run live, stopped with a savepoint after
 * the first five order lines (o-3's later copy, line 5, is pending in the dedup state; its earlier
 * copy, line 6, which must win, and the other retries come after the restore), resumed at another
 * parallelism. The result must equal the scenario's expected files, which {@link
 * RevenueScenariosITCase} checks against the uninterrupted bounded run.
 */
class DuplicateOrdersAcrossRestartITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    private static final SampleScenarios SCENARIOS = RevenueScenariosITCase.SCENARIOS;
    private static final String SCENARIO = "duplicate-orders";
    private static final Duration STEP = Duration.ofMinutes(2);

    /** Closes every window at the end of the live run (no bounded end there). */
    private static final String HEARTBEAT =
            "{\"_type\":\"Heartbeat\",\"eventTime\":\"2026-11-03T00:00:00.000Z\"}";

    @TempDir Path tmp;

    private Configuration conf(String bootstrap, int parallelism, Map<String, String> extra)
            throws Exception {
        Map<String, String> overrides =
                new LinkedHashMap<>(
                        LiveJobs.recoverable(Files.createDirectories(tmp.resolve("checkpoints"))));
        overrides.put("source.stop", "none");
        overrides.putAll(extra);
        return Replay.configuration(
                new RevenueJob(),
                new ReplayOptions(2, parallelism, ExecutionMode.STREAMING, overrides),
                bootstrap);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void duplicatesOnBothSidesOfASavepointCountOnce() throws Exception {
        Path dir = SCENARIOS.dir(SCENARIO);
        List<String> orders = SampleScenarios.lines(dir.resolve("orders.jsonl"));
        Map<String, List<String>> first =
                Map.of(
                        "orders", orders.subList(0, 5),
                        "products", SampleScenarios.lines(dir.resolve("products.jsonl")),
                        "customers", SampleScenarios.lines(dir.resolve("customers.jsonl")));
        Map<String, List<String>> second =
                Map.of(
                        "orders",
                        concat(orders.subList(5, orders.size()), HEARTBEAT),
                        "products",
                        List.of(HEARTBEAT),
                        "customers",
                        List.of(HEARTBEAT));

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            RevenueJob job = new RevenueJob();
            Configuration before = conf(bootstrap, 2, Map.of());
            LiveJobs.createTopics(kafka, job, before, 2);
            List<String> inputTopics = job.inputs(before).stream().map(JobTopic::topic).toList();
            String group = TidemarkConfig.from(before, job.name()).groupId();

            JobClient running = LiveJobs.start(job, before, InputTap.NONE, "dedup-before");
            String savepoint;
            try {
                LiveJobs.load(job, before, bootstrap, first, "before the savepoint");
                LiveJobs.await(
                        "first half read and checkpointed",
                        STEP,
                        running,
                        () -> LiveJobs.consumedAndCheckpointed(kafka.admin(), group, inputTopics));
                savepoint =
                        LiveJobs.stopWithSavepoint(
                                running, tmp.resolve("savepoints").toUri().toString());
            } finally {
                LiveJobs.cancelQuietly(running);
            }

            Configuration after =
                    conf(bootstrap, 1, Map.of("flink.execution.state-recovery.path", savepoint));
            Map<String, String> topics = new LinkedHashMap<>();
            job.resultTopics(after).forEach(t -> topics.put(t.role(), t.topic()));
            job.errorTopics(after).forEach(t -> topics.put(t.role(), t.topic()));
            Map<String, Integer> target =
                    Map.of(
                            topics.get("output-1m"),
                            SampleScenarios.lines(dir.resolve("expected-1m.jsonl")).size(),
                            topics.get("output-1h"),
                            SampleScenarios.lines(dir.resolve("expected-1h.jsonl")).size(),
                            topics.get("late"),
                            SampleScenarios.lines(dir.resolve("expected-late.jsonl")).size());
            JobClient resumed = LiveJobs.start(job, after, InputTap.NONE, "dedup-after");
            try (LiveJobs.CommittedCounter counter =
                    new LiveJobs.CommittedCounter(bootstrap, topics.values(), 2)) {
                LiveJobs.load(job, after, bootstrap, second, "after the savepoint");
                LiveJobs.await(
                        "all results committed " + target,
                        STEP,
                        resumed,
                        () -> LiveJobs.reached(counter.counts(), target));
                LiveJobs.stopWithSavepoint(
                        resumed, tmp.resolve("savepoints-final").toUri().toString());
            } finally {
                LiveJobs.cancelQuietly(resumed);
            }

            CommittedReader.awaitSettled(
                    bootstrap, List.copyOf(topics.values()), CommittedReader.DEFAULT_TIMEOUT);
            assertThat(CommittedReader.canonicalLinesLastPerKey(bootstrap, topics.get("output-1m")))
                    .as("revenue-1m across the savepoint")
                    .containsExactlyElementsOf(
                            SampleScenarios.lines(dir.resolve("expected-1m.jsonl")));
            assertThat(CommittedReader.canonicalLinesLastPerKey(bootstrap, topics.get("output-1h")))
                    .as("revenue-1h across the savepoint")
                    .containsExactlyElementsOf(
                            SampleScenarios.lines(dir.resolve("expected-1h.jsonl")));
            assertThat(LiveJobs.duplicates(LiveJobs.keyCounts(bootstrap, topics.get("output-1m"))))
                    .as("each window result committed once")
                    .isEmpty();
            assertThat(
                            SCENARIOS
                                    .envelopes()
                                    .canonicalSorted(
                                            CommittedReader.canonicalLines(
                                                    bootstrap, topics.get("late"))))
                    .as("late envelopes")
                    .containsExactlyElementsOf(
                            SampleScenarios.lines(dir.resolve("expected-late.jsonl")));
            assertThat(CommittedReader.canonicalLines(bootstrap, topics.get("dlq")))
                    .as("DLQ")
                    .isEmpty();
        }
    }

    private static List<String> concat(List<String> lines, String last) {
        List<String> all = new java.util.ArrayList<>(lines);
        all.add(last);
        return all;
    }
}
