package io.tidemark.jobs.revenue;

import io.tidemark.common.joins.EnrichmentInputs;
import io.tidemark.common.joins.EnrichmentStage;
import io.tidemark.common.postgres.PostgresConfig;
import io.tidemark.common.postgres.PostgresOptions;
import io.tidemark.common.runtime.config.InvalidConfigException;
import io.tidemark.common.runtime.config.TidemarkConfig;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** The revenue job's typed, validated configuration. */
public final class RevenueConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final ConfigOption<Duration> WINDOW =
            ConfigOptions.key("revenue.window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("Size of the tumbling revenue windows.");

    public static final ConfigOption<Duration> ROLLUP =
            ConfigOptions.key("revenue.rollup")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "Size of the rollup windows, computed from the window results; a"
                                    + " multiple of revenue.window.");

    public static final ConfigOption<String> WINDOW_TOPIC =
            ConfigOptions.key("topics.revenue-1m")
                    .stringType()
                    .defaultValue("revenue-1m")
                    .withDescription("Window results, keyed category|region|currency|windowStart.");

    public static final ConfigOption<String> ROLLUP_TOPIC =
            ConfigOptions.key("topics.revenue-1h")
                    .stringType()
                    .defaultValue("revenue-1h")
                    .withDescription("Rollup results, keyed category|region|currency|windowStart.");

    public static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> options = new ArrayList<>(EnrichmentInputs.options());
        options.addAll(List.of(WINDOW, ROLLUP, WINDOW_TOPIC, ROLLUP_TOPIC));
        options.addAll(PostgresOptions.all());
        return options;
    }

    private final TidemarkConfig common;
    private final PostgresConfig postgres;
    private final EnrichmentInputs inputs;
    private final Duration window;
    private final Duration rollup;
    private final String windowTopic;
    private final String rollupTopic;
    private final Duration assemblyTimeout;
    private final Duration dedupHorizon;

    private RevenueConfig(Configuration conf) {
        this.common = TidemarkConfig.from(conf, RevenueUids.JOB);
        this.postgres = PostgresConfig.from(conf).orElse(null);
        this.inputs = EnrichmentInputs.from(conf);
        this.assemblyTimeout = EnrichmentStage.assemblyTimeout(conf);
        this.dedupHorizon = EnrichmentStage.dedupHorizon(conf);
        this.window = conf.get(WINDOW);
        this.rollup = conf.get(ROLLUP);
        this.windowTopic = conf.get(WINDOW_TOPIC);
        this.rollupTopic = conf.get(ROLLUP_TOPIC);
        if (window.toMillis() <= 0) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + window
                            + "' for configuration key 'revenue.window':"
                            + " expected a positive duration such as 1 min");
        }
        if (rollup.toMillis() <= 0 || rollup.toMillis() % window.toMillis() != 0) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + rollup
                            + "' for configuration key 'revenue.rollup':"
                            + " expected a positive multiple of revenue.window ("
                            + window
                            + ")");
        }
    }

    public static RevenueConfig from(Configuration conf) {
        return new RevenueConfig(conf);
    }

    public TidemarkConfig common() {
        return common;
    }

    /** The PostgreSQL read model's settings; empty when {@code sink.postgres.url} is not set. */
    public Optional<PostgresConfig> postgres() {
        return Optional.ofNullable(postgres);
    }

    public EnrichmentInputs inputs() {
        return inputs;
    }

    public Duration window() {
        return window;
    }

    public Duration rollup() {
        return rollup;
    }

    public String windowTopic() {
        return windowTopic;
    }

    public String rollupTopic() {
        return rollupTopic;
    }

    /** See {@link EnrichmentStage#ASSEMBLY_TIMEOUT}. */
    public Duration assemblyTimeout() {
        return assemblyTimeout;
    }

    /** See {@link EnrichmentStage#DEDUP_HORIZON}. */
    public Duration dedupHorizon() {
        return dedupHorizon;
    }

    @Override
    public String toString() {
        return "RevenueConfig{"
                + common
                + ", inputs="
                + inputs
                + ", window="
                + window
                + ", rollup="
                + rollup
                + ", assemblyTimeout="
                + assemblyTimeout
                + ", dedupHorizon="
                + dedupHorizon
                + '}';
    }
}
