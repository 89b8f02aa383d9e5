package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.cli.cluster.FlinkRest;
import io.tidemark.cli.cluster.Submission;
import io.tidemark.cli.cluster.TidemarkHome;
import io.tidemark.cli.cluster.WorkDir;
import io.tidemark.common.local.ClickGenerator;
import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.testing.live.LiveJobs;
import io.tidemark.common.testing.scenario.Differences;
import java.io.IOException;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * End to end on real processes, as a user runs it: {@code tidemark cluster up} (a Kafka broker and
 * a Flink session cluster), {@code topics create}, sample data loaded, the three job jars submitted
 * through the REST API, their committed outputs equal to the hand-worked expected files, one job
 * upgraded from a savepoint while its input keeps flowing with nothing lost or duplicated (compared
 * with an instance of the same job that never stopped), and {@code cluster down} leaving no process
 * behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterITCase {

    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static final Path SAMPLES = TidemarkHome.locate().root().resolve("sample-data");

    /** Closes every session, join and window of the sample scenarios (all on 2026-11-01). */
    private static final String CLOSING_HEARTBEAT =
            "{\"_type\":\"Heartbeat\",\"eventTime\":\"2026-11-01T13:00:00.000Z\"}";

    /** The sessionization instance that is never upgraded: what an uninterrupted run commits. */
    private static final List<String> REFERENCE =
            List.of(
                    "--set",
                    "job.name=sessionization-reference",
                    "--set",
                    "topics.output-suffix=-reference",
                    "--set",
                    "parallelism=1");

    /** Revenue reads its own copies of the order topics: its sample scenario differs. */
    private static final List<String> REVENUE_TOPICS =
            List.of(
                    "--set", "topics.orders=rev-orders",
                    "--set", "topics.products=rev-products",
                    "--set", "topics.customers=rev-customers");

    private static final List<String> FAST_CHECKPOINTS =
            List.of("--set", "checkpoint.interval=2 s");

    private WorkDir workDir;
    private String bootstrap;
    private FlinkRest rest;

    @BeforeAll
    void clusterUp() throws IOException {
        Path dir = Path.of("target", "local-cluster-it").toAbsolutePath();
        org.apache.flink.util.FileUtils.deleteDirectory(dir.toFile());
        workDir = new WorkDir(dir);
        int[] ports = freePorts(4);
        String out =
                cli(
                        "cluster",
                        "up",
                        "--work-dir",
                        dir.toString(),
                        "--kafka-port",
                        Integer.toString(ports[0]),
                        "--controller-port",
                        Integer.toString(ports[1]),
                        "--rest-port",
                        Integer.toString(ports[2]),
                        "--rpc-port",
                        Integer.toString(ports[3]),
                        "--slots",
                        "8");
        bootstrap = "localhost:" + ports[0];
        rest = new FlinkRest("http://localhost:" + ports[2]);
        assertThat(out)
                .contains("Kafka broker:  " + bootstrap)
                .contains("Flink web UI:  http://localhost:" + ports[2]);
        assertThat(rest.flinkVersion()).isEqualTo("2.2.0");
    }

    @AfterAll
    void clusterDown() {
        if (workDir == null) {
            return;
        }
        String out = cli("cluster", "down", "--work-dir", workDir.root().toString());
        assertThat(out).contains("Stopped taskmanager, jobmanager, kafka.");
        assertThat(processesOf(workDir)).as("processes left after cluster down").isEmpty();
        assertThat(cliExitCode("cluster", "status", "--work-dir", workDir.root().toString()))
                .isEqualTo(1);
    }

    @Test
    @Order(1)
    void topicsCreateGivesEachTopicTheRetentionItNeeds() throws Exception {
        cli("topics", "create", "--work-dir", dir());
        cli(
                concat(
                        List.of("topics", "create", "--work-dir", dir(), "--job", "sessionization"),
                        REFERENCE.subList(0, 4)));
        cli(
                concat(
                        List.of("topics", "create", "--work-dir", dir(), "--job", "revenue"),
                        REVENUE_TOPICS));
        try (Admin admin = admin()) {
            assertThat(config(admin, "clicks").get("retention.ms").value()).isEqualTo("-1");
            assertThat(config(admin, "sessionization-dlq").get("retention.ms").value())
                    .isEqualTo("-1");
            assertThat(config(admin, "user-sessions").get("cleanup.policy").value())
                    .isEqualTo("compact");
            assertThat(config(admin, "user-sessions-reference").get("cleanup.policy").value())
                    .isEqualTo("compact");
            assertThat(config(admin, "rev-orders").get("retention.ms").value()).isEqualTo("-1");
            assertThat(admin.describeTopics(List.of("revenue-1h")).allTopicNames().get())
                    .extractingByKey("revenue-1h")
                    .satisfies(d -> assertThat(d.partitions()).hasSize(2));
        }
    }

    @Test
    @Order(2)
    void submittedJobsCommitTheExpectedOutputsOfTheSampleData() throws Exception {
        load("clicks", "Click", SAMPLES.resolve("sessionization/in-order/input.jsonl"));
        Path enrichment = SAMPLES.resolve("enrichment/price-change-between-orders");
        load("orders", "Order", enrichment.resolve("orders.jsonl"));
        load("products", "ProductChange", enrichment.resolve("products.jsonl"));
        load("customers", "CustomerChange", enrichment.resolve("customers.jsonl"));
        Path revenue = SAMPLES.resolve("revenue/several-currencies");
        load("rev-orders", "Order", revenue.resolve("orders.jsonl"));
        load("rev-products", "ProductChange", revenue.resolve("products.jsonl"));
        load("rev-customers", "CustomerChange", revenue.resolve("customers.jsonl"));

        String submitted = submit("sessionization", FAST_CHECKPOINTS);
        assertThat(submitted).containsPattern("Job tidemark-sessionization runs: [0-9a-f]{32}");
        submit("sessionization", concat(FAST_CHECKPOINTS, REFERENCE));
        submit("enrichment", FAST_CHECKPOINTS);
        submit("revenue", concat(FAST_CHECKPOINTS, REVENUE_TOPICS));
        assertThat(cli("jobs", "--work-dir", dir()))
                .contains("tidemark-sessionization ", "tidemark-sessionization-reference")
                .contains("tidemark-enrichment", "tidemark-revenue")
                .doesNotContain("FAILED");

        awaitOutput("user-sessions", SAMPLES.resolve("sessionization/in-order/expected.jsonl"));
        awaitOutput(
                "user-sessions-reference",
                SAMPLES.resolve("sessionization/in-order/expected.jsonl"));
        awaitOutput("orders-enriched", enrichment.resolve("expected.jsonl"));
        awaitOutput("revenue-1m", revenue.resolve("expected-1m.jsonl"));
        awaitOutput("revenue-1h", revenue.resolve("expected-1h.jsonl"));
    }

    @Test
    @Order(3)
    void upgradeFromASavepointWhileInputFlowsLosesAndDuplicatesNothing() throws Exception {
        List<String> clicks =
                ClickGenerator.generate(
                        ClickGenerator.Spec.builder()
                                .seed(20261204L)
                                .events(6000)
                                .users(300)
                                .partitions(2)
                                .start(Instant.parse("2026-11-01T14:00:00Z"))
                                .fractionLate(0.02)
                                .fractionDuplicates(0.02)
                                .badPerReason(2)
                                .build());
        List<ProducerRecord<byte[], byte[]>> records =
                JsonLinesLoader.toRecords(clicks, "generated clicks", "clicks", "Click", 2);
        AtomicInteger written = new AtomicInteger();
        // The producer keeps writing, a slice at a time, before, during and after the upgrade.
        CompletableFuture<Void> producer =
                CompletableFuture.runAsync(
                        () -> {
                            for (int from = 0; from < records.size(); from += 100) {
                                List<ProducerRecord<byte[], byte[]>> slice =
                                        records.subList(from, Math.min(records.size(), from + 100));
                                JsonLinesLoader.send(slice, bootstrap, new Properties());
                                written.addAndGet(slice.size());
                                LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
                            }
                        });
        await(
                "the first generated clicks written",
                () -> written.get() >= 800 || producer.isDone());
        String before = Submission.readFrom(workDir, "sessionization").orElseThrow().jobId();

        Path jar = TidemarkHome.locate().jobJar("sessionization");
        int writtenBefore = written.get();
        String upgraded =
                cli("upgrade", "sessionization", "--work-dir", dir(), "--jar", jar.toString());

        assertThat(written.get())
                .as("clicks written during the upgrade")
                .isGreaterThan(writtenBefore);
        assertThat(upgraded)
                .contains("Savepoint: file:" + workDir.savepoints())
                .contains("COMPATIBLE")
                .containsPattern("Upgraded tidemark-sessionization: job [0-9a-f]{32} runs");
        Submission after = Submission.readFrom(workDir, "sessionization").orElseThrow();
        assertThat(after.jobId()).isNotEqualTo(before);
        assertThat(after.savepoint()).startsWith("file:" + workDir.savepoints());
        assertThat(rest.job(before).path("state").asText()).isEqualTo("FINISHED");
        assertThat(restoredCheckpointOf(after.jobId()))
                .as("the new job restored the savepoint")
                .isTrue();

        producer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        load("clicks", "Click", closingHeartbeat("2026-11-03T00:00:00.000Z"));
        awaitConsumedAndCheckpointed("tidemark-sessionization", after.jobId());
        awaitConsumedAndCheckpointed(
                "tidemark-sessionization-reference",
                activeJob("tidemark-sessionization-reference"));

        String mismatch =
                Differences.ofLines(
                        "user-sessions of the upgraded job vs the uninterrupted one",
                        CommittedReader.canonicalLinesLastPerKey(
                                bootstrap, "user-sessions-reference"),
                        CommittedReader.canonicalLinesLastPerKey(bootstrap, "user-sessions"));
        assertThat(mismatch).as(mismatch).isEmpty();
        Map<String, Integer> counts = LiveJobs.keyCounts(bootstrap, "user-sessions");
        assertThat(LiveJobs.duplicates(counts)).as("sessions committed twice").isEmpty();
        assertThat(counts).isEqualTo(LiveJobs.keyCounts(bootstrap, "user-sessions-reference"));
        assertThat(LiveJobs.total(counts)).isGreaterThan(100);
        assertThat(CommittedReader.read(bootstrap, "sessionization-late", new Properties()))
                .hasSameSizeAs(
                        CommittedReader.read(
                                bootstrap,
                                "sessionization-reference-late-reference",
                                new Properties()))
                .isNotEmpty();
        assertReportShowsLatenessPerPartition(
                CommittedReader.read(bootstrap, "sessionization-late", new Properties()).size());
        assertThat(CommittedReader.read(bootstrap, "sessionization-dlq", new Properties()))
                .hasSameSizeAs(
                        CommittedReader.read(
                                bootstrap,
                                "sessionization-reference-dlq-reference",
                                new Properties()))
                .isNotEmpty();
    }

    @Test
    @Order(4)
    void refusedUpgradeResumesThePreviousVersionFromTheSavepoint() {
        Submission before = Submission.readFrom(workDir, "sessionization").orElseThrow();
        Path jar = TidemarkHome.locate().jobJar("sessionization");
        StringWriter out = new StringWriter();
        // Another max parallelism would re-split keyed state into other key groups: refused.
        int exit =
                execute(
                        out,
                        new StringWriter(),
                        "upgrade",
                        "sessionization",
                        "--work-dir",
                        dir(),
                        "--jar",
                        jar.toString(),
                        "--set",
                        "max-parallelism=64");

        assertThat(exit).as(out.toString()).isEqualTo(SavepointCheckCommand.REFUSED);
        assertThat(out.toString()).contains("REFUSED").contains("max parallelism");
        Submission resumed = Submission.readFrom(workDir, "sessionization").orElseThrow();
        assertThat(resumed.jobId()).isNotEqualTo(before.jobId());
        assertThat(resumed.args()).isEqualTo(before.args());
        assertThat(rest.job(resumed.jobId()).path("state").asText()).isEqualTo("RUNNING");
        assertThat(restoredCheckpointOf(resumed.jobId())).isTrue();
        assertThat(out.toString()).contains("resumed from the savepoint as job " + resumed.jobId());
    }

    /**
     * {@code tidemark report} reads the running job's metrics: late records per partition (since
     * the upgrade: counters restart with the job) add up to at most what the late topic holds, and
     * every partition's maximum event time is past the generated clicks' start.
     */
    private void assertReportShowsLatenessPerPartition(int lateInTopic) {
        // Flink's REST API refreshes metrics every 10 s: a new job's appear after the next fetch.
        String[] last = {""};
        await(
                "tidemark report showing the upgraded job's metrics",
                () ->
                        (last[0] = cli("report", "sessionization", "--work-dir", dir()))
                                .contains("records in"));
        String report = last[0];

        assertThat(report)
                .contains("tidemark-sessionization: job")
                .contains("records in")
                .contains("watermark lag")
                .containsPattern("clicks/0 +2026-11-0[1-3]T")
                .containsPattern("clicks/1 +2026-11-0[1-3]T")
                .contains("INPUT WATERMARK");
        java.util.regex.Matcher late =
                java.util.regex.Pattern.compile("clicks/\\d +\\S+ +([\\d,]+)").matcher(report);
        int perPartition = 0;
        while (late.find()) {
            perPartition += Integer.parseInt(late.group(1).replace(",", ""));
        }
        assertThat(perPartition).as(report).isPositive().isLessThanOrEqualTo(lateInTopic);
    }

    // --- the steps ---

    private String submit(String job, List<String> args) {
        return cli(concat(List.of("submit", job, "--work-dir", dir()), args));
    }

    private void load(String topic, String type, Path file) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(CLOSING_HEARTBEAT);
        Path withHeartbeat = workDir.root().resolve("load-" + topic + "-" + file.getFileName());
        Files.write(withHeartbeat, lines);
        cli(
                "load",
                "--bootstrap",
                bootstrap,
                "--topic",
                topic,
                "--type",
                type,
                "--file",
                withHeartbeat.toString());
    }

    private Path closingHeartbeat(String eventTime) throws IOException {
        Path file = workDir.root().resolve("heartbeat-" + eventTime.replace(':', '-') + ".jsonl");
        Files.writeString(file, "{\"_type\":\"Heartbeat\",\"eventTime\":\"" + eventTime + "\"}\n");
        return file;
    }

    /** Waits until the topic's committed results (last value per key) equal the expected file. */
    private void awaitOutput(String topic, Path expectedFile) throws IOException {
        List<String> expected =
                Files.readAllLines(expectedFile).stream().filter(l -> !l.isBlank()).toList();
        await(
                topic + " equal to " + expectedFile,
                () -> CommittedReader.canonicalLinesLastPerKey(bootstrap, topic).equals(expected));
    }

    /**
     * Waits until the job's consumer group has committed the end of {@code clicks} (offsets are
     * committed when a checkpoint completes), then until two more checkpoints complete: the results
     * of the last records (windows fired by the final watermark) are then committed too.
     */
    private void awaitConsumedAndCheckpointed(String group, String jobId) throws Exception {
        try (Admin admin = admin()) {
            await(group + " read all of clicks", () -> caughtUp(admin, group, "clicks"));
        }
        long completed = completedCheckpoints(jobId);
        await(
                jobId + " completed two more checkpoints",
                () -> completedCheckpoints(jobId) >= completed + 2);
    }

    private boolean caughtUp(Admin admin, String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            var ends =
                    admin.listOffsets(
                                    Map.of(
                                            new TopicPartition(topic, 0), OffsetSpec.latest(),
                                            new TopicPartition(topic, 1), OffsetSpec.latest()))
                            .all()
                            .get();
            return ends.entrySet().stream()
                    .allMatch(
                            e ->
                                    committed.containsKey(e.getKey())
                                            && committed.get(e.getKey()).offset()
                                                    >= e.getValue().offset());
        } catch (Exception e) {
            return false;
        }
    }

    private long completedCheckpoints(String jobId) {
        return rest.get("jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    private boolean restoredCheckpointOf(String jobId) {
        JsonNode restored =
                rest.get("jobs/" + jobId + "/checkpoints").path("latest").path("restored");
        return restored.path("is_savepoint").asBoolean()
                && restored.path("external_path").asText().contains("savepoint-");
    }

    private String activeJob(String name) {
        return rest.activeJob(name).orElseThrow().id();
    }

    // --- plumbing ---

    private String dir() {
        return workDir.root().toString();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static Config config(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }

    private static String cli(List<String> args) {
        return cli(args.toArray(String[]::new));
    }

    /** Runs the CLI in-process; fails the test with its error output unless it exits 0. */
    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = execute(out, err, args);
        assertThat(exit).as("tidemark %s%n%s%s", String.join(" ", args), out, err).isZero();
        return out.toString();
    }

    private static int execute(StringWriter out, StringWriter err, String... args) {
        return CliRun.execute(
                out, err, concat(List.of(args), List.of("--verbose")).toArray(String[]::new));
    }

    private static int cliExitCode(String... args) {
        return CliRun.execute(new StringWriter(), new StringWriter(), args);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
    }

    /** Processes whose command line carries this work directory's marker. */
    private static List<ProcessHandle> processesOf(WorkDir workDir) {
        String marker = "-Dtidemark.process=" + workDir.root() + "#";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
        return ports;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
