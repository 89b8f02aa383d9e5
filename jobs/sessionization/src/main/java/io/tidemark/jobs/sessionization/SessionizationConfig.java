package io.tidemark.jobs.sessionization;

import io.tidemark.common.postgres.PostgresConfig;
import io.tidemark.common.postgres.PostgresOptions;
import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.InvalidConfigException;
import io.tidemark.common.runtime.config.TidemarkConfig;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** The sessionization job's typed, validated configuration. */
public final class SessionizationConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final ConfigOption<String> INPUT_TOPIC =
            ConfigOptions.key("topics.clicks")
                    .stringType()
                    .defaultValue("clicks")
                    .withDescription("Input topic of clicks, keyed by userId.");

    public static final ConfigOption<String> OUTPUT_TOPIC =
            ConfigOptions.key("topics.user-sessions")
                    .stringType()
                    .defaultValue("user-sessions")
                    .withDescription("Output topic of sessions, keyed by sessionId.");

    public static final ConfigOption<Duration> SESSION_GAP =
            ConfigOptions.key("session.gap")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription(
                            "Events at most this far apart belong to one session (gap G).");

    public static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> options =
                new ArrayList<>(List.of(INPUT_TOPIC, OUTPUT_TOPIC, SESSION_GAP));
        options.addAll(PostgresOptions.all());
        return List.copyOf(options);
    }

    private final TidemarkConfig common;
    private final PostgresConfig postgres;
    private final String inputTopic;
    private final String outputTopic;
    private final Duration gap;

    private SessionizationConfig(Configuration conf) {
        this.common = TidemarkConfig.from(conf, SessionizationUids.JOB);
        this.postgres = PostgresConfig.from(conf).orElse(null);
        this.inputTopic = conf.get(INPUT_TOPIC);
        this.outputTopic = conf.get(OUTPUT_TOPIC);
        this.gap = conf.get(SESSION_GAP);
        if (gap.isZero() || gap.isNegative()) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + gap
                            + "' for configuration key 'session.gap':"
                            + " expected a positive duration such as 30 min");
        }
    }

    /** From {@code main}'s arguments: {@code [--config FILE] [--set key=value]...}. */
    /** From flat key/values (tests, the CLI). */
    public static SessionizationConfig fromMap(Map<String, String> values) {
        return from(ConfigLoader.validate(values, options(), System.getenv()));
    }

    public static SessionizationConfig from(Configuration conf) {
        return new SessionizationConfig(conf);
    }

    public TidemarkConfig common() {
        return common;
    }

    /** The PostgreSQL read model's settings; empty when {@code sink.postgres.url} is not set. */
    public Optional<PostgresConfig> postgres() {
        return Optional.ofNullable(postgres);
    }

    public String inputTopic() {
        return inputTopic;
    }

    public String outputTopic() {
        return outputTopic;
    }

    public Duration gap() {
        return gap;
    }

    @Override
    public String toString() {
        return "SessionizationConfig{"
                + common
                + ", clicks="
                + inputTopic
                + ", sessions="
                + outputTopic
                + ", gap="
                + gap
                + '}';
    }
}
