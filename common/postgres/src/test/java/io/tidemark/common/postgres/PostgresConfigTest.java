package io.tidemark.common.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.common.runtime.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresConfigTest {

    private static final String URL = "jdbc:postgresql://db.example:5432/shop";

    @TempDir Path tmp;

    @Test
    void noUrlMeansNoSink() {
        assertThat(PostgresConfig.from(new Configuration())).isEmpty();
    }

    @Test
    void passwordKeyIsRefusedNamingWhereThePasswordGoes() {
        Configuration conf = conf(Map.of("sink.postgres.url", URL, "sink.postgres.password", "s"));

        assertThatThrownBy(() -> PostgresConfig.from(conf))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'sink.postgres.password' is not accepted")
                .hasMessageContaining("sink.postgres.password-env")
                .hasMessageContaining("sink.postgres.password-file")
                .hasMessageNotContaining("s\"");
    }

    @Test
    void passwordInTheUrlIsRefused() {
        Configuration conf = conf(Map.of("sink.postgres.url", URL + "?password=secret"));

        assertThatThrownBy(() -> PostgresConfig.from(conf))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("sink.postgres.url")
                .hasMessageNotContaining("secret");
    }

    @Test
    void urlOfAnotherDatabaseIsRefusedNamingTheKeyAndTheForm() {
        Configuration conf = conf(Map.of("sink.postgres.url", "jdbc:mysql://db/shop"));

        assertThatThrownBy(() -> PostgresConfig.from(conf))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'sink.postgres.url'")
                .hasMessageContaining("jdbc:postgresql://host:port/database");
    }

    @Test
    void batchSizeBelowOneIsRefusedNamingTheKey() {
        Configuration conf =
                conf(Map.of("sink.postgres.url", URL, "sink.postgres.batch-size", "0"));

        assertThatThrownBy(() -> PostgresConfig.from(conf))
                .hasMessageContaining("'sink.postgres.batch-size'")
                .hasMessageContaining(">= 1");
    }

    @Test
    void passwordIsReadFromTheNamedEnvironmentVariableWhenConnecting() {
        PostgresConfig config =
                PostgresConfig.from(
                                conf(
                                        Map.of(
                                                "sink.postgres.url", URL,
                                                "sink.postgres.user", "tidemark",
                                                "sink.postgres.password-env", "SHOP_DB_PASSWORD")))
                        .orElseThrow();

        var props = config.properties(Map.of("SHOP_DB_PASSWORD", "from-env")::get);

        assertThat(props.getProperty("user")).isEqualTo("tidemark");
        assertThat(props.getProperty("password")).isEqualTo("from-env");
        assertThat(config.toString()).doesNotContain("from-env").contains("SHOP_DB_PASSWORD");
        assertThat(config.properties(Map.<String, String>of()::get).getProperty("password"))
                .isNull();
    }

    @Test
    void passwordFileWinsOverTheEnvironmentAndItsNewlineIsIgnored() throws Exception {
        Path file = Files.writeString(tmp.resolve("password"), "from-file\n");
        PostgresConfig config =
                PostgresConfig.from(
                                conf(
                                        Map.of(
                                                "sink.postgres.url",
                                                URL,
                                                "sink.postgres.password-file",
                                                file.toString())))
                        .orElseThrow();

        var props =
                config.properties(Map.of(PostgresOptions.DEFAULT_PASSWORD_ENV, "from-env")::get);

        assertThat(props.getProperty("password")).isEqualTo("from-file");
    }

    @Test
    void missingPasswordFileFailsNamingTheKeyAndThePath() {
        Path missing = tmp.resolve("missing");
        PostgresConfig config =
                PostgresConfig.from(
                                conf(
                                        Map.of(
                                                "sink.postgres.url",
                                                URL,
                                                "sink.postgres.password-file",
                                                missing.toString())))
                        .orElseThrow();

        assertThatThrownBy(() -> config.properties(Map.<String, String>of()::get))
                .hasMessageContaining("sink.postgres.password-file")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void settingsSurviveTheRoundTripThroughConfiguration() {
        PostgresConfig config =
                PostgresConfig.forUrl(URL, "tidemark")
                        .with(
                                Map.of(
                                        "sink.postgres.batch-size",
                                        "7",
                                        "sink.postgres.migrate",
                                        "false"));

        PostgresConfig again = PostgresConfig.from(config.toConfiguration()).orElseThrow();

        assertThat(again.url()).isEqualTo(URL);
        assertThat(again.user()).isEqualTo("tidemark");
        assertThat(again.batchSize()).isEqualTo(7);
        assertThat(again.migrate()).isFalse();
    }

    private static Configuration conf(Map<String, String> values) {
        Configuration conf = new Configuration();
        values.forEach(conf::setString);
        return conf;
    }
}
