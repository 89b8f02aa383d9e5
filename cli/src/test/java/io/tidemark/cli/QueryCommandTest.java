package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cli.cluster.ClusterAddresses;
import io.tidemark.cli.cluster.WorkDir;
import java.io.IOException;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tidemark query revenue} and {@code tidemark db}: their arguments and errors, before and
 * without a database (a port nothing listens on stands for a database that is down).
 */
class QueryCommandTest {

    private static final String FROM = "2026-11-01T00:00:00Z";
    private static final String TO = "2026-11-02T00:00:00Z";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir Path dir;

    /** A work dir without a cluster: no test picks up a local cluster's PostgreSQL by accident. */
    private Path workDir;

    private String downUrl;

    @BeforeEach
    void setUp() throws IOException {
        workDir = dir.resolve("work");
        try (ServerSocket socket = new ServerSocket(0)) {
            downUrl = "jdbc:postgresql://localhost:" + socket.getLocalPort() + "/shop";
        }
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--work-dir", workDir.toString()));
        return CliRun.execute(out, err, all.toArray(String[]::new));
    }

    private int query(String... args) {
        List<String> all = new ArrayList<>(List.of("query", "revenue"));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    @Test
    void aBadInstantIsAUsageErrorNamingTheOption() {
        assertThat(query("--from", "2026-11-01", "--to", TO, "--postgres-url", downUrl))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("--from must be an ISO-8601 instant")
                .contains("'2026-11-01'");

        assertThat(query("--from", FROM, "--to", "tomorrow", "--postgres-url", downUrl))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--to must be an ISO-8601 instant", "'tomorrow'");
    }

    @Test
    void fromMustBeBeforeTo() {
        assertThat(query("--from", TO, "--to", FROM, "--postgres-url", downUrl)).isEqualTo(2);

        assertThat(err.toString())
                .contains("--from 2026-11-02T00:00:00Z must be before --to 2026-11-01T00:00:00Z");
    }

    @Test
    void fromAndToAreRequired() {
        assertThat(query("--from", FROM, "--postgres-url", downUrl)).isEqualTo(2);

        assertThat(err.toString()).contains("Missing required option: '--to=INSTANT'");
    }

    @Test
    void theWindowIsOneMinuteOrOneHour() {
        assertThat(query("--from", FROM, "--to", TO, "--window", "5m", "--postgres-url", downUrl))
                .isEqualTo(2);

        assertThat(err.toString()).contains("--window must be 1m or 1h, got '5m'");
    }

    @Test
    void withoutAUrlTheErrorNamesTheKeyAndHowToSetIt() {
        assertThat(query("--from", FROM, "--to", TO)).isEqualTo(2);

        assertThat(err.toString())
                .contains("no PostgreSQL read model configured")
                .contains("sink.postgres.url")
                .contains("--postgres-url")
                .contains("tidemark cluster up --postgres");

        assertThat(run("db", "migrate")).isEqualTo(2);
        assertThat(err.toString()).contains("sink.postgres.url");
    }

    @Test
    void anUnreachableDatabaseIsOneLineNamingTheUrl() {
        assertThat(query("--from", FROM, "--to", TO, "--postgres-url", downUrl)).isEqualTo(1);

        List<String> lines = err.toString().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .startsWith("tidemark: cannot connect to PostgreSQL at " + downUrl + ": ")
                .contains("refused");
        assertThat(lines.get(1)).isEqualTo("(run with --verbose for details)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void withSqlTheStatementIsPrintedWithItsValues() {
        assertThat(
                        query(
                                "--from",
                                FROM,
                                "--to",
                                TO,
                                "--category",
                                "kids' books",
                                "--window",
                                "1m",
                                "--sql",
                                "--postgres-url",
                                downUrl))
                .isEqualTo(1);

        assertThat(out.toString().strip())
                .isEqualTo(
                        "SELECT category, region, currency, window_start, window_end, orders,"
                                + " units, revenue_minor FROM revenue_1m"
                                + " WHERE window_start >= TIMESTAMPTZ '2026-11-01T00:00:00Z'"
                                + " AND window_start < TIMESTAMPTZ '2026-11-02T00:00:00Z'"
                                + " AND category = 'kids'' books'"
                                + " ORDER BY window_start, category, region, currency;");
    }

    @Test
    void theSettingsComeFromTheJobsConfigFileAndSet() throws IOException {
        Path config = dir.resolve("revenue.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "kafka.bootstrap.servers: broker:9092",
                        "enrichment.assembly-timeout: 30 min",
                        "sink:",
                        "  postgres:",
                        "    url: " + downUrl,
                        "    user: analyst",
                        ""));

        assertThat(query("--from", FROM, "--to", TO, "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString())
                .contains("cannot connect to PostgreSQL at " + downUrl + " as analyst");

        assertThat(
                        query(
                                "--from",
                                FROM,
                                "--to",
                                TO,
                                "--config",
                                config.toString(),
                                "--set",
                                "sink.postgres.user=reader"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("at " + downUrl + " as reader");
    }

    @Test
    void badConfigurationIsAUsageErrorNamingTheKey() {
        assertThat(query("--from", FROM, "--to", TO, "--set", "sink.postgres.password=secret"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("'sink.postgres.password' is not accepted")
                .doesNotContain("secret");

        assertThat(query("--from", FROM, "--to", TO, "--postgres-url", "postgres://localhost/x"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("sink.postgres.url", "jdbc:postgresql://");

        assertThat(query("--from", FROM, "--to", TO, "--set", "sink.postgres.batchsize=5"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("Unknown configuration key 'sink.postgres.batchsize'");
    }

    @Test
    void withoutAUrlTheLocalClustersPostgresIsUsed() {
        String clusterUrl = downUrl.replace("/shop", "/postgres");
        new ClusterAddresses("localhost:9092", "http://localhost:8081", clusterUrl)
                .writeTo(new WorkDir(workDir).addresses());

        assertThat(query("--from", FROM, "--to", TO)).isEqualTo(1);
        assertThat(err.toString())
                .contains("cannot connect to PostgreSQL at " + clusterUrl + " as postgres");

        // A configured URL wins over the cluster's.
        assertThat(query("--from", FROM, "--to", TO, "--postgres-url", downUrl)).isEqualTo(1);
        assertThat(err.toString()).contains("at " + downUrl + ": ");
    }

    @Test
    void dbStatusOfAnUnreachableDatabaseNamesTheUrl() {
        assertThat(run("db", "status", "--postgres-url", downUrl)).isEqualTo(1);

        assertThat(err.toString()).contains("cannot connect to PostgreSQL at " + downUrl);
    }
}
