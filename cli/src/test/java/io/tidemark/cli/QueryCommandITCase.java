package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cli.cluster.TidemarkHome;
import io.tidemark.common.testing.EmbeddedPostgresExtension;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tidemark db} and {@code tidemark query revenue} on a real PostgreSQL, its tables written
 * by the real revenue job ({@code tidemark replay revenue} of a sample scenario with {@code
 * sink.postgres.*} set): the printed rows are the scenario's hand-worked expected windows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueryCommandITCase {

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    private static final Path SCENARIO =
            TidemarkHome.locate().root().resolve("sample-data/revenue/several-currencies");

    private static final String USER = "sink.postgres.user=postgres";
    private static final String FROM = "2026-11-01T00:00:00Z";
    private static final String TO = "2026-11-02T00:00:00Z";

    @TempDir static Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--work-dir", tmp.resolve("work").toString()));
        return CliRun.execute(out, err, all.toArray(String[]::new));
    }

    private int query(String... args) {
        List<String> all =
                new ArrayList<>(
                        List.of(
                                "query",
                                "revenue",
                                "--postgres-url",
                                POSTGRES.jdbcUrl(),
                                "--set",
                                "sink.postgres.user=postgres"));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void anEmptyDatabaseHasPendingMigrationsThatDbMigrateApplies() {
        assertThat(query("--from", FROM, "--to", TO)).as(err.toString()).isEqualTo(1);
        assertThat(err.toString())
                .contains("the read model at " + POSTGRES.jdbcUrl() + " has no table revenue_1h")
                .contains("tidemark db migrate");

        assertThat(run("db", "status", "--postgres-url", POSTGRES.jdbcUrl(), "--set", USER))
                .isEqualTo(1);
        assertThat(out.toString())
                .contains("schema version none")
                .contains("pending V1 read model")
                .contains("tidemark db migrate");

        assertThat(run("db", "migrate", "--postgres-url", POSTGRES.jdbcUrl(), "--set", USER))
                .as(err.toString())
                .isZero();
        assertThat(out.toString())
                .contains(
                        "Migrated the read model at "
                                + POSTGRES.jdbcUrl()
                                + ": 1 migration applied, now at version 1.");

        assertThat(run("db", "migrate", "--postgres-url", POSTGRES.jdbcUrl(), "--set", USER))
                .isZero();
        assertThat(out.toString()).contains("is up to date (version 1)");
        assertThat(run("db", "status", "--postgres-url", POSTGRES.jdbcUrl(), "--set", USER))
                .isZero();
        assertThat(out.toString()).contains("No pending migrations.");
    }

    @Test
    @Order(2)
    void queryRevenuePrintsTheWindowsTheRevenueJobWrote() {
        assertThat(
                        CliRun.execute(
                                out,
                                err,
                                "replay",
                                "revenue",
                                "--input",
                                SCENARIO.toString(),
                                "--output",
                                tmp.resolve("replay").toString(),
                                "--set",
                                "sink.postgres.url=" + POSTGRES.jdbcUrl(),
                                "--set",
                                "sink.postgres.user=postgres"))
                .as(err.toString())
                .isZero();
        out.getBuffer().setLength(0);

        assertThat(query("--from", FROM, "--to", TO, "--sql")).as(err.toString()).isZero();

        // The hand-worked sample-data/revenue/several-currencies/expected-1h.jsonl, as rows.
        assertThat(out.toString().lines().toList())
                .containsExactly(
                        "SELECT category, region, currency, window_start, window_end, orders,"
                                + " units, revenue_minor FROM revenue_1h"
                                + " WHERE window_start >= TIMESTAMPTZ '2026-11-01T00:00:00Z'"
                                + " AND window_start < TIMESTAMPTZ '2026-11-02T00:00:00Z'"
                                + " ORDER BY window_start, category, region, currency;",
                        "  WINDOW (UTC)           CATEGORY     REGION  CURRENCY  ORDERS  UNITS "
                                + "       REVENUE",
                        "  2026-11-01 10:00-11:00 books        EU      EUR            2      4 "
                                + "         80.00",
                        "  2026-11-01 10:00-11:00 books        EU      GBP            1      1 "
                                + "         18.00",
                        "  2026-11-01 10:00-11:00 books        EU      USD            1      2 "
                                + "         44.00",
                        "  2026-11-01 10:00-11:00 home         US      USD            1      1 "
                                + "         50.00",
                        "4 rows from revenue_1h at " + POSTGRES.jdbcUrl());
    }

    @Test
    @Order(3)
    void minuteWindowsOfOneCategoryInARange() {
        assertThat(
                        query(
                                "--from",
                                "2026-11-01T10:11:00Z",
                                "--to",
                                "2026-11-01T10:12:00Z",
                                "--window",
                                "1m",
                                "--category",
                                "home"))
                .as(err.toString())
                .isZero();

        assertThat(out.toString().lines().toList())
                .containsExactly(
                        "  WINDOW (UTC)           CATEGORY     REGION  CURRENCY  ORDERS  UNITS "
                                + "       REVENUE",
                        "  2026-11-01 10:11-10:12 home         US      USD            1      1 "
                                + "         50.00",
                        "1 row from revenue_1m at " + POSTGRES.jdbcUrl());

        out.getBuffer().setLength(0);
        assertThat(query("--from", FROM, "--to", TO, "--category", "toys")).isZero();
        assertThat(out.toString())
                .isEqualTo("  (none)\n0 rows from revenue_1h at " + POSTGRES.jdbcUrl() + "\n");
    }
}
