package io.tidemark.jobs.revenue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.OrderGenerator;
import io.tidemark.common.local.ShopPerturbations;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.postgres.PostgresConfig;
import io.tidemark.common.postgres.ReadModelSchema;
import io.tidemark.common.postgres.tables.RevenueTable;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.kafka.PreflightException;
import io.tidemark.common.testing.EmbeddedPostgresExtension;
import io.tidemark.common.testing.ReadModelTables;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.live.LiveJobs;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The revenue job's PostgreSQL read model on a real PostgreSQL: its tables end equal to the topics
 * row for row after a backfill, after the database went down mid-run, and when the database rejects
 * rows (which reach the DLQ); a database that is down at start stops the job before it runs. (After
 * TaskManager losses: {@link FailuresAndUpgradesITCase}.)
 */
class RevenueReadModelITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    private static final long SEED = 20261204L;
    private static final int PARTITIONS = 2;
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private static final Map<String, List<String>> SHOP = shop();

    private final RevenueJob job = new RevenueJob();
    private final ReadModelTables tables = FailuresAndUpgradesITCase.readModel(POSTGRES);

    @TempDir Path tmp;

    private static Map<String, List<String>> shop() {
        OrderGenerator.Spec spec =
                OrderGenerator.Spec.builder()
                        .seed(SEED)
                        .orders(600)
                        .customers(80)
                        .products(30)
                        .partitions(PARTITIONS)
                        .productUpdates(30)
                        .customerUpdates(20)
                        .heartbeats(true)
                        .build();
        return ShopPerturbations.apply(OrderGenerator.generate(spec), spec, SEED, 2_000, 1)
                .inputs();
    }

    @BeforeEach
    void emptyDatabase() throws Exception {
        tables.reset();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aBackfillOverTheSameRangeRepairsTheTablesToEqualTheTopics() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            ReplayResult live = Replay.run(job, SHOP, options(Map.of()), kafka);
            assertThat(live.outputs().get("output-1m")).hasSizeGreaterThan(100);
            assertThat(tables.differences(live.outputs())).isEmpty();

            // Someone damaged the read model: a row gone, a row changed.
            int rows = rows(RevenueTable.MINUTES);
            execute(
                    "DELETE FROM revenue_1m WHERE ctid = (SELECT min(ctid) FROM revenue_1m)",
                    "UPDATE revenue_1h SET revenue_minor = revenue_minor + 1"
                            + " WHERE ctid = (SELECT min(ctid) FROM revenue_1h)");
            assertThat(tables.differences(live.outputs())).hasSize(2);

            Map<String, List<String>> backfilled =
                    backfill(kafka, options(Map.of("topics.output-suffix", "-backfill")));

            assertThat(backfilled).isEqualTo(live.outputs());
            assertThat(tables.differences(live.outputs())).isEmpty();
            assertThat(rows(RevenueTable.MINUTES)).isEqualTo(rows);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theDatabaseGoingDownMidRunRestartsTheJobWhichConvergesOnceItIsBack(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        Map<String, List<String>> expected;
        try (EmbeddedKafka plain = EmbeddedKafka.start()) {
            expected = Replay.run(job, SHOP, ReplayOptions.defaults(), plain).outputs();
        }
        List<Map<String, List<String>>> halves = LiveJobs.slices(SHOP, 2, "orders");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Map<String, String> settings =
                    new LinkedHashMap<>(LiveJobs.recoverable(tmp.resolve("checkpoints")));
            settings.put("source.stop", "none");
            settings.putAll(tables.settings());
            settings.put("sink.postgres.max-retries", "1");
            settings.put("sink.postgres.retry-backoff", "10 ms");
            settings.put("sink.postgres.connect-timeout", "2 s");
            Configuration conf =
                    Replay.configuration(
                            job,
                            ReplayOptions.defaults()
                                    .withPartitions(PARTITIONS)
                                    .withOverrides(settings),
                            kafka.bootstrapServers());
            LiveJobs.createTopics(kafka, job, conf, PARTITIONS);
            JobClient client = LiveJobs.start(job, conf, InputTap.NONE, "revenue-postgres-down");
            JobID id = client.getJobID();
            try {
                LiveJobs.load(job, conf, kafka.bootstrapServers(), halves.get(0), "first half");
                LiveJobs.await(
                        "rows in revenue_1m",
                        DEADLINE,
                        client,
                        () -> rows(RevenueTable.MINUTES) > 0);

                POSTGRES.stop();
                LiveJobs.load(job, conf, kafka.bootstrapServers(), halves.get(1), "second half");
                LiveJobs.await(
                        "a failover while PostgreSQL is down",
                        DEADLINE,
                        client,
                        () -> LiveJobs.maxAttempt(LiveJobs.graph(cluster, id)) >= 1);
                POSTGRES.restart();

                Map<String, Integer> target = new LinkedHashMap<>();
                for (JobTopic topic : job.resultTopics(conf)) {
                    target.put(topic.topic(), expected.get(topic.role()).size());
                }
                try (LiveJobs.CommittedCounter counter =
                        new LiveJobs.CommittedCounter(
                                kafka.bootstrapServers(), target.keySet(), PARTITIONS)) {
                    LiveJobs.await(
                            "every result committed " + target,
                            DEADLINE,
                            client,
                            () -> LiveJobs.reached(counter.counts(), target));
                }
                LiveJobs.stopWithSavepoint(client, tmp.resolve("final").toUri().toString());
            } finally {
                LiveJobs.cancelQuietly(client);
                if (!POSTGRES.running()) {
                    POSTGRES.restart();
                }
            }
            Map<String, List<String>> committed = committed(kafka, conf);
            assertThat(committed).isEqualTo(expected);
            assertThat(tables.differences(committed)).isEmpty();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void rowsTheDatabaseRejectsGoToTheDlqWithTheReasonAndTheJobCompletes() throws Exception {
        // A constraint the job knows nothing of, as a DBA might add.
        migrateAndConstrain();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            ReplayResult result = Replay.run(job, SHOP, options(Map.of()), kafka);

            List<String> toys =
                    result.outputs().get("output-1h").stream()
                            .filter(line -> line.contains("\"category\":\"toys\""))
                            .toList();
            List<String> rejected =
                    result.dlq().stream()
                            .filter(l -> l.contains("PostgreSQL table revenue_1h rejected"))
                            .toList();
            assertThat(toys).isNotEmpty();
            assertThat(rejected).hasSameSizeAs(toys);
            assertThat(rejected)
                    .allSatisfy(
                            envelope ->
                                    assertThat(envelope)
                                            .contains("\"topic\":\"revenue-1h\"")
                                            .contains("no_toys_per_hour")
                                            .contains("\"job\":\"revenue\""));
            Map<String, List<String>> expectedTables = new LinkedHashMap<>(result.outputs());
            List<String> hours = new ArrayList<>(expectedTables.get("output-1h"));
            hours.removeAll(toys);
            expectedTables.put("output-1h", hours);
            assertThat(tables.differences(expectedTables)).isEmpty();
        }
    }

    @Test
    void aDatabaseDownAtStartStopsTheJobBeforeItRunsNamingTheUrl() throws Exception {
        String dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = "jdbc:postgresql://localhost:" + socket.getLocalPort() + "/shop";
        }
        Configuration conf =
                Replay.configuration(
                        job,
                        ReplayOptions.defaults()
                                .withOverrides(
                                        Map.of(
                                                "sink.postgres.url", dead,
                                                "sink.postgres.connect-timeout", "2 s",
                                                "sink.preflight", "OFF")),
                        "localhost:9");
        StreamExecutionEnvironment env =
                TidemarkEnvironment.create(TidemarkConfig.from(conf, job.name()));

        assertThatThrownBy(() -> job.build(env, conf))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("Cannot connect to PostgreSQL at " + dead)
                .hasMessageContaining("sink.postgres.url");
    }

    // ------------------------------------------------------------------ helpers

    private ReplayOptions options(Map<String, String> extra) {
        Map<String, String> overrides = new LinkedHashMap<>(tables.settings());
        overrides.putAll(extra);
        return ReplayOptions.defaults().withPartitions(PARTITIONS).withOverrides(overrides);
    }

    /**
     * The job again over the topics already loaded, in BATCH, as {@code tidemark backfill} runs it.
     */
    private Map<String, List<String>> backfill(EmbeddedKafka kafka, ReplayOptions options)
            throws Exception {
        Configuration conf =
                Replay.configuration(
                        job, options.withMode(ExecutionMode.BATCH), kafka.bootstrapServers());
        for (JobTopic topic : job.resultTopics(conf)) {
            kafka.createTopic(topic.topic(), PARTITIONS);
        }
        for (JobTopic topic : job.errorTopics(conf)) {
            kafka.createTopic(topic.topic(), PARTITIONS);
        }
        StreamExecutionEnvironment env =
                TidemarkEnvironment.create(TidemarkConfig.from(conf, job.name()));
        job.build(env, conf);
        env.execute("revenue-backfill");
        return committed(kafka, conf);
    }

    private Map<String, List<String>> committed(EmbeddedKafka kafka, Configuration conf) {
        List<String> topics = job.resultTopics(conf).stream().map(JobTopic::topic).toList();
        CommittedReader.awaitSettled(
                kafka.bootstrapServers(), topics, CommittedReader.DEFAULT_TIMEOUT);
        Map<String, List<String>> lines = new java.util.TreeMap<>();
        for (JobTopic topic : job.resultTopics(conf)) {
            lines.put(
                    topic.role(),
                    CommittedReader.canonicalLinesLastPerKey(
                            kafka.bootstrapServers(), topic.topic()));
        }
        return lines;
    }

    private void migrateAndConstrain() throws Exception {
        ReadModelSchema.migrate(PostgresConfig.forUrl(POSTGRES.jdbcUrl(), "postgres"));
        execute(
                "ALTER TABLE revenue_1h ADD CONSTRAINT no_toys_per_hour"
                        + " CHECK (category <> 'toys')");
    }

    private static int rows(String table) throws Exception {
        try (Connection c = POSTGRES.connect();
                Statement s = c.createStatement();
                var r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getInt(1);
        } catch (java.sql.SQLException e) {
            return 0; // not migrated yet
        }
    }

    private static void execute(String... statements) throws Exception {
        try (Connection c = POSTGRES.connect();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
