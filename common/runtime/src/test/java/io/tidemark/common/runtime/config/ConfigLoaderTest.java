package io.tidemark.common.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final ConfigOption<Duration> GAP =
            ConfigOptions.key("session.gap").durationType().defaultValue(Duration.ofMinutes(30));

    private static final List<ConfigOption<?>> JOB_OPTIONS = List.of(GAP);

    private static Configuration load(Map<String, String> env, String... args) {
        return ConfigLoader.load(JobArgs.parse(args), JOB_OPTIONS, env);
    }

    private static Configuration load(String... args) {
        return load(Map.of(), args);
    }

    @Test
    void yamlFileAndSetOverridesAreMerged(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(
                file,
                "kafka:\n  bootstrap.servers: broker:9092\n"
                        + "event-time:\n  out-of-orderness: 5 s\n"
                        + "session.gap: 10 min\n");

        Configuration conf =
                load("--config", file.toString(), "--set", "event-time.out-of-orderness=3 s");

        assertThat(conf.get(TidemarkOptions.OUT_OF_ORDERNESS)).isEqualTo(Duration.ofSeconds(3));
        assertThat(conf.get(GAP)).isEqualTo(Duration.ofMinutes(10));
        TidemarkConfig config = TidemarkConfig.from(conf, "sessionization");
        assertThat(config.bootstrapServers()).isEqualTo("broker:9092");
        assertThat(config.dlqTopic()).isEqualTo("sessionization-dlq");
        assertThat(config.lateTopic()).isEqualTo("sessionization-late");
    }

    /** Failure injection is wrapped around a job by tests, never switched on by configuration. */
    @Test
    void noTestOnlyKeyIsAccepted() {
        assertThat(TidemarkOptions.all())
                .extracting(ConfigOption::key)
                .noneMatch(key -> key.startsWith("chaos."));
        assertThatThrownBy(
                        () ->
                                load(
                                        "--set",
                                        "kafka.bootstrap.servers=broker:9092",
                                        "--set",
                                        "chaos.failures=3"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Unknown configuration key 'chaos.failures'");
    }

    @Test
    void unknownKeyFailsNamingTheKeyAndTheKnownKeys() {
        assertThatThrownBy(() -> load("--set", "event-time.out-of-order=2 s"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Unknown configuration key 'event-time.out-of-order'")
                .hasMessageContaining("event-time.out-of-orderness")
                .hasMessageContaining("session.gap")
                .hasMessageContaining("kafka.*");
    }

    @Test
    void badEnumValueFailsNamingTheAcceptedValues() {
        assertThatThrownBy(() -> load("--set", "execution.mode=FAST"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'execution.mode'")
                .hasMessageContaining("'FAST'")
                .hasMessageContaining("STREAMING, BATCH");
    }

    @Test
    void badDurationFailsNamingTheKeyAndTheFormat() {
        assertThatThrownBy(() -> load("--set", "session.gap=soon"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'session.gap'")
                .hasMessageContaining("a duration such as");
    }

    @Test
    void badStartPositionFailsNamingTheAcceptedValues() {
        Configuration conf =
                load("--set", "kafka.bootstrap.servers=b:9092", "--set", "source.start=yesterday");
        assertThatThrownBy(() -> TidemarkConfig.from(conf, "job"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'source.start'")
                .hasMessageContaining("earliest, latest, committed, or an ISO-8601 instant");
    }

    @Test
    void missingBootstrapServersFailsAtStart() {
        assertThatThrownBy(() -> TidemarkConfig.from(load(), "job"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("kafka.bootstrap.servers");
    }

    @Test
    void secretsComeFromEnvironmentAndAreRedacted() {
        Configuration conf =
                load(
                        Map.of("SASL_JAAS", "org.apache...PlainLoginModule password=\"s3cret\";"),
                        "--set",
                        "kafka.bootstrap.servers=b:9092",
                        "--set",
                        "kafka.sasl.jaas.config=${env:SASL_JAAS}");

        TidemarkConfig config = TidemarkConfig.from(conf, "job");
        assertThat(config.kafkaProperties().getProperty("sasl.jaas.config")).contains("s3cret");
        assertThat(config.toString()).doesNotContain("s3cret").contains(Redaction.MASK);
        assertThat(ConfigLoader.redacted(conf).toString()).doesNotContain("s3cret");
    }

    @Test
    void missingEnvironmentVariableFailsNamingKeyAndVariable() {
        assertThatThrownBy(() -> load("--set", "kafka.ssl.key.password=${env:NOPE}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'kafka.ssl.key.password'")
                .hasMessageContaining("NOPE");
    }

    @Test
    void unknownArgumentFailsWithUsage() {
        assertThatThrownBy(() -> JobArgs.parse("--parallelism", "2"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("--parallelism")
                .hasMessageContaining(JobArgs.USAGE);
    }

    @Test
    void backfillShorthandsSetTheirKeys() {
        Configuration conf =
                load(
                        "--bootstrap",
                        "b:9092",
                        "--from",
                        "2026-11-01T00:00:00Z",
                        "--to=latest",
                        "--execution",
                        "batch",
                        "--output-topic-suffix",
                        "-bf1");

        TidemarkConfig config = TidemarkConfig.from(conf, "job");
        assertThat(config.bootstrapServers()).isEqualTo("b:9092");
        assertThat(config.start().kind())
                .isEqualTo(io.tidemark.common.runtime.kafka.StartPosition.Kind.TIMESTAMP);
        assertThat(config.stop().kind())
                .isEqualTo(io.tidemark.common.runtime.kafka.StopPosition.Kind.LATEST);
        assertThat(config.executionMode()).isEqualTo(ExecutionMode.BATCH);
        assertThat(config.dlqTopic()).isEqualTo("job-dlq-bf1");
    }

    @Test
    void missingConfigFileFailsNamingIt() {
        assertThatThrownBy(() -> load("--config", "/nonexistent/job.yaml"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("/nonexistent/job.yaml");
    }

    @Test
    void invalidParallelismFails() {
        Configuration conf =
                load("--set", "kafka.bootstrap.servers=b:9092", "--set", "parallelism=0");
        assertThatThrownBy(() -> TidemarkConfig.from(conf, "job"))
                .hasMessageContaining("'parallelism'");
    }

    @Test
    void maxParallelismOutsideFlinksKeyGroupRangeFailsNamingTheKey() {
        Configuration conf =
                load("--set", "kafka.bootstrap.servers=b:9092", "--set", "max-parallelism=40000");
        assertThatThrownBy(() -> TidemarkConfig.from(conf, "job"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'max-parallelism'")
                .hasMessageContaining("between 1 and 32768");
    }

    @Test
    void parallelismAboveMaxParallelismFailsNamingBothKeys() {
        Configuration conf =
                load(
                        "--set",
                        "kafka.bootstrap.servers=b:9092",
                        "--set",
                        "max-parallelism=4",
                        "--set",
                        "parallelism=8");
        assertThatThrownBy(() -> TidemarkConfig.from(conf, "job"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'parallelism'")
                .hasMessageContaining("'max-parallelism' (4)");
    }
}
