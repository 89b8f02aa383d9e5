package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cli.TopicsCommand.Kind;
import io.tidemark.cli.TopicsCommand.PlannedTopic;
import io.tidemark.cli.cluster.ClusterAddresses;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster commands' decisions that need no running cluster. */
class ClusterCommandsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return CliRun.execute(out, err, args);
    }

    @Test
    void everyTopicOfEveryJobIsPlannedOnceWithTheSettingsOfItsKind() {
        List<PlannedTopic> plan =
                TopicsCommand.plan(
                        JobRegistry.all(), Map.of("kafka.bootstrap.servers", "localhost:1"), 3);

        assertThat(plan).extracting(PlannedTopic::name).doesNotHaveDuplicates();
        assertThat(plan).allSatisfy(t -> assertThat(t.partitions()).isEqualTo(3));
        assertThat(plan)
                .filteredOn(t -> t.kind() == Kind.RESULT)
                .extracting(PlannedTopic::name)
                .containsExactlyInAnyOrder(
                        "user-sessions", "orders-enriched", "revenue-1m", "revenue-1h");
        assertThat(plan)
                .filteredOn(t -> t.kind() == Kind.RESULT)
                .allSatisfy(
                        t -> assertThat(t.configs()).containsEntry("cleanup.policy", "compact"));
        // Records stamped with past event times must not expire, nor may bad input be lost.
        assertThat(plan)
                .filteredOn(t -> t.kind() != Kind.RESULT)
                .allSatisfy(t -> assertThat(t.configs()).containsEntry("retention.ms", "-1"));
        assertThat(plan)
                .filteredOn(t -> t.kind() == Kind.INPUT)
                .extracting(PlannedTopic::name)
                .containsExactlyInAnyOrder("clicks", "orders", "products", "customers");
        assertThat(plan)
                .extracting(PlannedTopic::name)
                .contains("sessionization-dlq", "enrichment-late", "revenue-dlq");
    }

    @Test
    void topicsFollowTheJobConfiguration() {
        List<PlannedTopic> plan =
                TopicsCommand.plan(
                        List.of(JobRegistry.byName("sessionization")),
                        Map.of(
                                "kafka.bootstrap.servers", "localhost:1",
                                "topics.clicks", "clicks-eu",
                                "topics.output-suffix", "-v2"),
                        2);

        assertThat(plan)
                .extracting(PlannedTopic::name)
                .containsExactly(
                        "clicks-eu",
                        "user-sessions-v2",
                        "sessionization-late-v2",
                        "sessionization-dlq-v2");
    }

    @Test
    void submitArgumentsDefaultTheBrokerAndKeepTheOrderOfSettings() {
        assertThat(
                        SubmitCommand.programArgs(
                                "localhost:9092",
                                Path.of("conf.yaml"),
                                new java.util.LinkedHashMap<>(Map.of("session.gap", "5 min"))))
                .containsExactly(
                        "--set=kafka.bootstrap.servers=localhost:9092",
                        "--config=" + Path.of("conf.yaml").toAbsolutePath(),
                        "--set=session.gap=5 min");
        assertThat(
                        SubmitCommand.programArgs(
                                "localhost:9092",
                                null,
                                Map.of("kafka.bootstrap.servers", "broker:9092")))
                .containsExactly("--set=kafka.bootstrap.servers=broker:9092");
    }

    @Test
    void jobsSubmittedToAClusterWithPostgresWriteTheirReadModelThereUnlessConfigured(
            @TempDir Path dir) throws Exception {
        Map<String, String> cluster =
                new ClusterAddresses(
                                "localhost:9092",
                                "http://localhost:8081",
                                "jdbc:postgresql://localhost:5432/postgres")
                        .postgresSettings();

        assertThat(SubmitCommand.programArgs("localhost:9092", cluster, null, Map.of()))
                .containsExactly(
                        "--set=kafka.bootstrap.servers=localhost:9092",
                        "--set=sink.postgres.url=jdbc:postgresql://localhost:5432/postgres",
                        "--set=sink.postgres.user=postgres");
        // --set of a URL, even a blank one (the read model off), wins.
        assertThat(
                        SubmitCommand.programArgs(
                                "localhost:9092", cluster, null, Map.of("sink.postgres.url", "")))
                .containsExactly(
                        "--set=kafka.bootstrap.servers=localhost:9092", "--set=sink.postgres.url=");
        // So does a URL in the job's configuration file.
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, "sink.postgres.url: jdbc:postgresql://db:5432/shop\n");
        assertThat(SubmitCommand.programArgs("localhost:9092", cluster, config, Map.of()))
                .containsExactly(
                        "--set=kafka.bootstrap.servers=localhost:9092",
                        "--config=" + config.toAbsolutePath());
        // Without PostgreSQL in the cluster, nothing is added.
        assertThat(SubmitCommand.programArgs("localhost:9092", Map.of(), null, Map.of()))
                .containsExactly("--set=kafka.bootstrap.servers=localhost:9092");
    }

    @Test
    void statusAndDownKnowTheClustersPostgresByItsPidFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("pids"));
        Files.writeString(dir.resolve("pids/postgres.pid"), "2147483646");

        assertThat(run("cluster", "status", "--work-dir", dir.toString())).isEqualTo(1);
        assertThat(out.toString())
                .contains("postgres     stopped")
                .contains("kafka        stopped");

        assertThat(run("cluster", "down", "--work-dir", dir.toString())).isZero();
        assertThat(dir.resolve("pids/postgres.pid")).doesNotExist();
    }

    @Test
    void submitWithAnUnknownKeyFailsBeforeContactingTheCluster() {
        int exit =
                run(
                        "submit",
                        "sessionization",
                        "--rest",
                        "http://localhost:1",
                        "--bootstrap",
                        "localhost:1",
                        "--set",
                        "sesion.gap=5 min");

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("sesion.gap").doesNotContain("no Flink REST API");
    }

    @Test
    void commandsNeedingAClusterSayHowToStartOne(@TempDir Path dir) {
        assertThat(run("jobs", "--work-dir", dir.toString())).isNotZero();

        assertThat(err.toString())
                .contains("no local cluster is running from")
                .contains("tidemark cluster up");
    }

    @Test
    void statusOfAWorkDirWithoutClusterReportsEveryProcessStopped(@TempDir Path dir) {
        assertThat(run("cluster", "status", "--work-dir", dir.toString())).isEqualTo(1);

        assertThat(out.toString())
                .contains("kafka        stopped")
                .contains("jobmanager   stopped")
                .contains("taskmanager  stopped")
                .doesNotContain("postgres");
    }

    @Test
    void downNeverStopsAProcessItDidNotStart(@TempDir Path dir) throws Exception {
        // A stale pid file whose pid now belongs to another process (here: this test's JVM).
        Files.createDirectories(dir.resolve("pids"));
        Files.writeString(
                dir.resolve("pids/jobmanager.pid"), Long.toString(ProcessHandle.current().pid()));

        assertThat(run("cluster", "down", "--work-dir", dir.toString())).isZero();

        assertThat(out.toString()).contains("Nothing was running.");
        assertThat(ProcessHandle.current().isAlive()).isTrue();
        assertThat(dir.resolve("pids/jobmanager.pid")).doesNotExist();
    }

    @Test
    void clusterUpRefusesAPortInUse(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            int exit =
                    run(
                            "cluster",
                            "up",
                            "--work-dir",
                            dir.toString(),
                            "--rest-port",
                            Integer.toString(taken.getLocalPort()));

            assertThat(exit).isNotZero();
            assertThat(err.toString())
                    .contains("port " + taken.getLocalPort() + " on localhost is in use");
        }
    }

    @Test
    void withoutSubcommandEverySubcommandIsListed() {
        assertThat(run()).isNotZero();

        assertThat(err.toString())
                .contains("backfill", "verify-determinism", "savepoint", "cluster", "topics")
                .contains("submit", "upgrade", "jobs", "demo");
    }
}
