package io.tidemark.jobs.enrichment;

import io.tidemark.common.joins.EnrichmentInputs;
import io.tidemark.common.joins.EnrichmentStage;
import io.tidemark.common.postgres.PostgresConfig;
import io.tidemark.common.postgres.PostgresOptions;
import io.tidemark.common.runtime.config.TidemarkConfig;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** The enrichment job's typed, validated configuration. */
public final class EnrichmentConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final ConfigOption<String> OUTPUT_TOPIC =
            ConfigOptions.key("topics.orders-enriched")
                    .stringType()
                    .defaultValue("orders-enriched")
                    .withDescription("Enriched orders, keyed by orderId.");

    /** The join stage's options and the output topic. */
    public static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> options = new ArrayList<>(EnrichmentInputs.options());
        options.add(OUTPUT_TOPIC);
        options.addAll(PostgresOptions.all());
        return List.copyOf(options);
    }

    private final TidemarkConfig common;
    private final PostgresConfig postgres;
    private final EnrichmentInputs inputs;
    private final String outputTopic;
    private final Duration assemblyTimeout;
    private final Duration dedupHorizon;

    private EnrichmentConfig(Configuration conf) {
        this.common = TidemarkConfig.from(conf, EnrichmentUids.JOB);
        this.postgres = PostgresConfig.from(conf).orElse(null);
        this.inputs = EnrichmentInputs.from(conf);
        this.assemblyTimeout = EnrichmentStage.assemblyTimeout(conf);
        this.dedupHorizon = EnrichmentStage.dedupHorizon(conf);
        this.outputTopic = conf.get(OUTPUT_TOPIC);
    }

    public static EnrichmentConfig from(Configuration conf) {
        return new EnrichmentConfig(conf);
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

    public String outputTopic() {
        return outputTopic;
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
        return "EnrichmentConfig{"
                + common
                + ", inputs="
                + inputs
                + ", output="
                + outputTopic
                + ", assemblyTimeout="
                + assemblyTimeout
                + ", dedupHorizon="
                + dedupHorizon
                + '}';
    }
}
