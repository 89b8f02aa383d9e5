package io.tidemark.common.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.common.runtime.kafka.PreflightException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReadModelSchemaITCase {

    private final PostgresConfig config = Databases.start();

    @BeforeEach
    void emptyDatabase() throws Exception {
        Databases.execute(config, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public");
    }

    @Test
    void migratesAnEmptyDatabaseOnceAndThenNothingIsPending() throws Exception {
        assertThat(ReadModelSchema.currentVersion(config)).isNull();

        assertThat(ReadModelSchema.migrate(config)).isEqualTo(1);
        assertThat(ReadModelSchema.migrate(config)).isZero();

        ReadModelSchema.requireUpToDate(config);
        assertThat(ReadModelSchema.currentVersion(config)).isEqualTo("1");
        for (String table :
                new String[] {
                    "user_sessions", "orders_enriched", "order_lines", "revenue_1m", "revenue_1h"
                }) {
            assertThat(Databases.count(config, table)).as(table).isZero();
        }
    }

    @Test
    void withoutMigrateAPendingMigrationStopsTheJobNamingItAndTheCommand() {
        PostgresConfig checkOnly = config.with(Map.of("sink.postgres.migrate", "false"));

        assertThatThrownBy(() -> ReadModelSchema.preflight(checkOnly))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining(config.url())
                .hasMessageContaining("V1 read model")
                .hasMessageContaining("tidemark db migrate");
    }

    @Test
    void unreachableDatabaseFailsFastNamingTheUrlAndTheKey() {
        String dead = Databases.deadUrl();
        PostgresConfig down =
                PostgresConfig.forUrl(dead, "postgres")
                        .with(Map.of("sink.postgres.connect-timeout", "2 s"));

        assertThatThrownBy(() -> ReadModelSchema.preflight(down))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("Cannot connect to PostgreSQL at " + dead)
                .hasMessageContaining("sink.postgres.url")
                .hasMessageContaining("the job did not start");
    }
}
