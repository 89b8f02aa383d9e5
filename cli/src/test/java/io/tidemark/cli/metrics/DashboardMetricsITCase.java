package io.tidemark.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.cli.metrics.PrometheusScrape.Sample;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.testing.EmbeddedKafkaExtension;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.live.LiveJobs;
import io.tidemark.common.testing.scenario.SampleScenarios;
import io.tidemark.jobs.enrichment.EnrichmentJob;
import io.tidemark.jobs.revenue.RevenueJob;
import io.tidemark.jobs.sessionization.SessionizationJob;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The three jobs run side by side on a MiniCluster with Flink's Prometheus reporter, each over a
 * hand-worked sample scenario, the way they run on a cluster (unbounded, exactly-once,
 * checkpointing); once each has read its input, the reporter's endpoint is scraped. The scrape must
 * hold every metric the Grafana dashboard plots and the README documents, with the labels the
 * dashboard groups and filters by, and the Tidemark metrics must carry the values the scenarios
 * imply: records read, late and on-time records, DLQ records per reason, duplicates dropped,
 * per-partition maximum event times, and the watermark lag.
 *
 * <p>Scenarios: sessionization {@code duplicates} (1 late record, 4 duplicates), enrichment {@code
 * bad-records} (16 DLQ records of six reasons; its orders partition 1 holds no valid record, so the
 * orders watermark never starts), revenue {@code late-order-beyond-bound} (3 late orders).
 */
class DashboardMetricsITCase {

    private static final int PROMETHEUS_PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(clusterConfiguration())
                            .setNumberTaskManagers(1)
                            // The three jobs at parallelism 2 side by side, as on the local
                            // cluster.
                            .setNumberSlotsPerTaskManager(6)
                            .build());

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Path SAMPLES = Path.of("../sample-data");
    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final long B = 2_000L; // event-time.out-of-orderness, the default
    private static final String OP = "flink_taskmanager_job_task_operator_tidemark_";

    /** One job over one scenario. */
    private record Run(
            TidemarkJob job, Path scenario, Map<String, String> overrides, Configuration conf) {

        /** The job_name label: the name the job runs under ({@code JobLauncher}), filtered. */
        String label() {
            return "tidemark_" + job.name();
        }

        Map<String, List<String>> inputs() {
            return Replay.readInputs(job, scenario);
        }

        long records() {
            return inputs().values().stream()
                    .mapToLong(lines -> lines.stream().filter(l -> !l.isBlank()).count())
                    .sum();
        }
    }

    private static final List<Run> RUNS = new ArrayList<>();
    private static final List<JobClient> CLIENTS = new ArrayList<>();
    private static PrometheusScrape scrape;
    private static long settledAfterMs;
    private static Throwable setupFailure;

    private static Run sessionization;
    private static Run enrichment;
    private static Run revenue;

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Configuration clusterConfiguration() {
        Configuration conf = TidemarkMiniCluster.configuration();
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", Integer.toString(PROMETHEUS_PORT));
        return conf;
    }

    private static Run run(TidemarkJob job, String scenario, Map<String, String> topics) {
        Map<String, String> overrides = new LinkedHashMap<>(topics);
        overrides.put("source.stop", "none"); // live, as on a cluster
        overrides.put("state.backend", "HASHMAP"); // six slots share the test's managed memory
        Configuration conf =
                Replay.configuration(
                        job,
                        new ReplayOptions(2, 2, ExecutionMode.STREAMING, overrides),
                        KAFKA.bootstrapServers());
        return new Run(job, SAMPLES.resolve(job.name()).resolve(scenario), overrides, conf);
    }

    /**
     * Once, before the first test: MiniClusterExtension makes its cluster the jobs' environment
     * only around each test, not in {@code @BeforeAll}.
     */
    @BeforeEach
    void runTheJobsAndScrapeOnce() throws Exception {
        synchronized (RUNS) {
            if (setupFailure != null) {
                throw new AssertionError(
                        "the jobs did not settle (see the first test)", setupFailure);
            }
            if (scrape == null) {
                try {
                    runTheJobsAndScrape();
                } catch (Exception | AssertionError e) {
                    setupFailure = e;
                    throw e;
                }
            }
        }
    }

    private static void runTheJobsAndScrape() throws Exception {
        long start = System.nanoTime();
        sessionization = run(new SessionizationJob(), "duplicates", Map.of());
        enrichment = run(new EnrichmentJob(), "bad-records", Map.of());
        // Revenue reads the same kinds of topics as enrichment: give it its own.
        revenue =
                run(
                        new RevenueJob(),
                        "late-order-beyond-bound",
                        Map.of(
                                "topics.orders", "revenue-orders",
                                "topics.products", "revenue-products",
                                "topics.customers", "revenue-customers"));
        RUNS.addAll(List.of(sessionization, enrichment, revenue));
        for (Run run : RUNS) {
            LiveJobs.createTopics(KAFKA.kafka(), run.job(), run.conf(), 2);
            LiveJobs.load(
                    run.job(), run.conf(), KAFKA.bootstrapServers(), run.inputs(), "scenario");
            CLIENTS.add(LiveJobs.start(run.job(), run.conf(), InputTap.NONE, jobName(run)));
        }
        PrometheusScrape[] last = {null};
        String[] text = {null};
        try {
            LiveJobs.await(
                    "every job read its input, completed a checkpoint and has a watermark",
                    DEADLINE,
                    null,
                    () -> {
                        text[0] = PrometheusScrape.fetch(PROMETHEUS_PORT);
                        last[0] = PrometheusScrape.parse(text[0]);
                        return settled(last[0]);
                    });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last scrape: " + progress(last[0]), e);
        }
        scrape = last[0];
        settledAfterMs = LiveJobs.millisSince(start);
        // For reading when an assertion fails.
        Files.writeString(Path.of("target", "dashboard-metrics-scrape.txt"), text[0]);
        System.out.printf(
                "[dashboard-metrics] three jobs started, read and checkpointed in %d ms%n",
                settledAfterMs);
    }

    private static String jobName(Run run) {
        return "tidemark-" + run.job().name();
    }

    /** Input read, a checkpoint completed and the lags the scenarios imply reached. */
    private static boolean settled(PrometheusScrape s) {
        for (Run run : RUNS) {
            if (s.sum(OP + "read", run.label()) < run.records()
                    || !(s.max("flink_jobmanager_job_numberOfCompletedCheckpoints", run.label())
                            >= 1)) {
                return false;
            }
        }
        return s.max(OP + "watermarkLag", sessionization.label()) == B + 2
                && lagOf(s, revenue, "orders") == 42_002;
    }

    private static String progress(PrometheusScrape s) {
        if (s == null) {
            return "none";
        }
        Map<String, String> out = new TreeMap<>();
        for (Run run : RUNS) {
            out.put(
                    run.label(),
                    String.format(
                            "read %.0f of %d, checkpoints %.0f, lag %.0f",
                            s.sum(OP + "read", run.label()),
                            run.records(),
                            s.max("flink_jobmanager_job_numberOfCompletedCheckpoints", run.label()),
                            s.max(OP + "watermarkLag", run.label())));
        }
        return out.toString();
    }

    @AfterAll
    static void cancelTheJobs() {
        CLIENTS.forEach(LiveJobs::cancelQuietly);
    }

    // ------------------------------------------------------------------ the dashboard

    @Test
    void everyMetricTheDashboardPlotsExistsWithTheLabelsItUses() throws Exception {
        GrafanaDashboard dashboard = GrafanaDashboard.read();
        assertThat(dashboard.queries()).isNotEmpty();
        SoftAssertions soft = new SoftAssertions();
        for (GrafanaDashboard.Query query : dashboard.queries()) {
            for (String metric : query.metrics()) {
                soft.assertThat(scrape.names())
                        .as("%s: %s is in the scrape", query.where(), metric)
                        .contains(metric);
                soft.assertThat(scrape.labelNames(metric))
                        .as("%s: labels of %s", query.where(), metric)
                        .containsAll(query.labels());
            }
        }
        soft.assertAll();
    }

    @Test
    void everyMetricTheReadmeDocumentsExists() throws Exception {
        String readme = Files.readString(GrafanaDashboardTest.README, StandardCharsets.UTF_8);
        Matcher names = Pattern.compile("`(flink_[a-zA-Z0-9_]+)").matcher(readme);
        Set<String> documented = new TreeSet<>();
        while (names.find()) {
            documented.add(names.group(1));
        }
        assertThat(documented).hasSizeGreaterThan(10);
        assertThat(scrape.names()).containsAll(documented);
    }

    @Test
    void everyJobReportsTheCommonMetrics() {
        SoftAssertions soft = new SoftAssertions();
        for (Run run : RUNS) {
            for (String metric :
                    List.of(
                            "read",
                            "maxEventTime",
                            "reason_dlq",
                            "onTime",
                            "late",
                            "lateAfterIdle",
                            "heartbeats",
                            "partition_maxEventTime",
                            "watermark",
                            "watermarkLag")) {
                soft.assertThat(
                                scrape.of(
                                        OP + metric, s -> run.label().equals(s.label("job_name"))))
                        .as("%s reports tidemark %s", run.label(), metric)
                        .isNotEmpty();
            }
            soft.assertThat(
                            scrape
                                    .of(
                                            OP + "reason_dlq",
                                            s -> run.label().equals(s.label("job_name")))
                                    .stream()
                                    .map(s -> s.label("reason"))
                                    .distinct())
                    .as("%s: a DLQ counter per reason, zero or not", run.label())
                    .containsExactlyInAnyOrder(
                            java.util.Arrays.stream(ReasonCode.values())
                                    .map(Enum::name)
                                    .toArray(String[]::new));
        }
        soft.assertAll();
    }

    // ------------------------------------------------------------------ values

    @Test
    void countersEqualWhatTheScenariosImply() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (Run run : RUNS) {
            List<String> late = lines(run.scenario().resolve("expected-late.jsonl"));
            List<String> dlq = lines(run.scenario().resolve("expected-dlq.jsonl"));
            soft.assertThat(scrape.sum(OP + "read", run.label()))
                    .as("%s: records read", run.label())
                    .isEqualTo((double) run.records());
            soft.assertThat(scrape.sum(OP + "late", run.label()))
                    .as("%s: late records (expected-late.jsonl)", run.label())
                    .isEqualTo((double) late.size());
            soft.assertThat(scrape.sum(OP + "lateAfterIdle", run.label()))
                    .as("%s: idleness is off", run.label())
                    .isZero();
            soft.assertThat(scrape.sum(OP + "heartbeats", run.label()))
                    .as("%s: the scenarios have no heartbeats", run.label())
                    .isZero();
            soft.assertThat(scrape.sum(OP + "onTime", run.label()))
                    .as("%s: on time = read − late − DLQ", run.label())
                    .isEqualTo((double) (run.records() - late.size() - dlq.size()));
            Map<String, Double> expectedPerReason = new TreeMap<>();
            for (String line : dlq) {
                expectedPerReason.merge(
                        AvroJson.MAPPER.readTree(line).get("reasonCode").asText(),
                        1.0,
                        Double::sum);
            }
            Map<String, Double> perReason = new TreeMap<>();
            for (Sample s : scrape.of(OP + "reason_dlq")) {
                if (run.label().equals(s.label("job_name")) && s.value() > 0) {
                    perReason.merge(s.label("reason"), s.value(), Double::sum);
                }
            }
            soft.assertThat(perReason)
                    .as("%s: DLQ records per reason (expected-dlq.jsonl)", run.label())
                    .isEqualTo(expectedPerReason);
        }
        soft.assertAll();
        assertThat(scrape.sum(OP + "reason_dlq", enrichment.label())).isEqualTo(16.0);
        assertThat(scrape.sum(OP + "late", revenue.label())).isEqualTo(3.0);
    }

    @Test
    void duplicatesDroppedAreCountedWhereTheJobDeduplicates() throws Exception {
        // Every on-time click whose eventId was seen before is a dropped duplicate.
        Set<String> eventIds = new HashSet<>();
        for (String line : sessionization.inputs().get("clicks")) {
            eventIds.add(AvroJson.MAPPER.readTree(line).get("eventId").asText());
        }
        double onTime = scrape.sum(OP + "onTime", sessionization.label());
        assertThat(scrape.sum(OP + "duplicates", sessionization.label()))
                .isEqualTo(onTime - eventIds.size())
                .isEqualTo(4.0);
        // Enrichment and revenue deduplicate orders by orderId (dedup orders by orderId): the
        // counter is registered, and their scenarios here hold no copy of an order.
        for (String job : List.of(enrichment.label(), revenue.label())) {
            assertThat(scrape.of(OP + "duplicates", s -> s.label("job_name").equals(job)))
                    .as("%s: duplicates counter", job)
                    .isNotEmpty();
            assertThat(scrape.sum(OP + "duplicates", job)).as(job).isZero();
        }
    }

    @Test
    void partitionGaugesHoldEachPartitionsMaximumEventTime() throws Exception {
        assertThat(partitionMaxima(sessionization))
                .isEqualTo(maxima(sessionization.inputs().get("clicks"), "clicks", "eventTime"))
                .containsEntry("clicks_0", (double) AvroJson.parseInstant("2026-11-01T10:05:01Z"));
        Map<String, Double> revenueMaxima = partitionMaxima(revenue);
        assertThat(revenueMaxima)
                .containsAllEntriesOf(
                        maxima(revenue.inputs().get("orders"), "revenue_orders", "eventTime"))
                .containsAllEntriesOf(
                        maxima(revenue.inputs().get("products"), "revenue_products", "ts_ms"))
                .containsAllEntriesOf(
                        maxima(revenue.inputs().get("customers"), "revenue_customers", "ts_ms"))
                // Partitions without a record have no gauge.
                .doesNotContainKey("revenue_products_1");
        // The ingest gauge (per source subtask) agrees with the partitions it reads.
        assertThat(scrape.max(OP + "maxEventTime", sessionization.label()))
                .isEqualTo(
                        partitionMaxima(sessionization).values().stream()
                                .mapToDouble(Double::doubleValue)
                                .max()
                                .orElseThrow());
    }

    @Test
    void watermarkLagIsHowFarTheWatermarkTrailsTheNewestOnTimeRecord() {
        // Both clicks partitions end at 10:05:01; the watermark is B + 2 ms behind.
        assertThat(scrape.max(OP + "watermarkLag", sessionization.label())).isEqualTo(2_002.0);
        // Revenue's orders: partition 1 ends at 10:01:10, partition 0 at 10:00:30, which holds
        // the watermark at 10:00:30 − 2.002 s: 42.002 s behind 10:01:10.
        assertThat(lagOf(scrape, revenue, "orders")).isEqualTo(42_002.0);
        // Enrichment's orders partition 1 holds only bad records, which never advance the
        // watermark: the watermark of the subtask reading it never starts, and the lag says so.
        assertThat(lagOf(scrape, enrichment, "orders")).isEqualTo((double) Long.MAX_VALUE);
    }

    @Test
    void checkpointAndRestartMetricsExistForEveryJob() {
        SoftAssertions soft = new SoftAssertions();
        for (Run run : RUNS) {
            soft.assertThat(
                            scrape.max(
                                    "flink_jobmanager_job_numberOfCompletedCheckpoints",
                                    run.label()))
                    .as("%s: completed checkpoints", run.label())
                    .isGreaterThanOrEqualTo(1.0);
            // Present for the job; their values are not pinned: Flink's gauges of the last
            // checkpoint read -1 until its stats snapshot holds one, and a scrape has shown -1
            // beside a completed-checkpoint count of 1 (and the size set, the duration not).
            soft.assertThat(scrape.max("flink_jobmanager_job_lastCheckpointDuration", run.label()))
                    .as("%s: last checkpoint duration", run.label())
                    .isNotNaN();
            soft.assertThat(scrape.max("flink_jobmanager_job_lastCheckpointSize", run.label()))
                    .as("%s: last checkpoint size", run.label())
                    .isNotNaN();
            soft.assertThat(scrape.max("flink_jobmanager_job_numRestarts", run.label()))
                    .as("%s: restarts", run.label())
                    .isZero();
        }
        soft.assertAll();
    }

    // ------------------------------------------------------------------ helpers

    /**
     * How far the watermark the windows see trails the newest record of one input of a run, as the
     * dashboard computes it: the largest {@code maxEventTime} of its validation subtasks minus the
     * lowest {@code watermark} of its classifier subtasks (each chained to a source subtask).
     */
    private static double lagOf(PrometheusScrape s, Run run, String input) {
        double newest = extreme(s, run, "maxEventTime", "validate_" + input, true);
        double lowest = extreme(s, run, "watermark", "classify_lateness_" + input, false);
        if (Double.isNaN(newest) || Double.isNaN(lowest)) {
            return Double.NaN;
        }
        return lowest <= Long.MIN_VALUE ? (double) Long.MAX_VALUE : Math.max(0, newest - lowest);
    }

    private static double extreme(
            PrometheusScrape s, Run run, String metric, String operator, boolean max) {
        var values =
                s
                        .of(
                                OP + metric,
                                x ->
                                        run.label().equals(x.label("job_name"))
                                                && operator.equals(x.label("operator_name")))
                        .stream()
                        .mapToDouble(Sample::value);
        return (max ? values.max() : values.min()).orElse(Double.NaN);
    }

    /** partition label → the gauge's value, for one job. */
    private static Map<String, Double> partitionMaxima(Run run) {
        Map<String, Double> maxima = new TreeMap<>();
        for (Sample s : scrape.of(OP + "partition_maxEventTime")) {
            if (run.label().equals(s.label("job_name"))) {
                maxima.merge(s.label("partition"), s.value(), Math::max);
            }
        }
        return maxima;
    }

    /** {@code <topic label>_<partition>} → the largest time field of the lines of a partition. */
    private static Map<String, Double> maxima(List<String> lines, String topic, String field)
            throws IOException {
        Map<String, Double> maxima = new TreeMap<>();
        for (String line : lines) {
            JsonNode node = AvroJson.MAPPER.readTree(line);
            JsonNode time = node.get(field);
            double t =
                    time.isNumber()
                            ? time.asDouble()
                            : (double) AvroJson.parseInstant(time.asText());
            maxima.merge(topic + "_" + node.get("_partition").asInt(), t, Math::max);
        }
        return maxima;
    }

    private static List<String> lines(Path file) {
        return SampleScenarios.lines(file);
    }
}
