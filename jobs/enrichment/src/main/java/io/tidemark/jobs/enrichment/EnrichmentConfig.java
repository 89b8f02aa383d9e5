package io.tidemark.jobs.enrichment;

import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.JobArgs;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.jobs.enrichment.stage.EnrichmentInputs;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** The enrichment job's typed, validated configuration. */
public final class EnrichmentConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final ConfigOption<String> ORDERS_TOPIC =
            ConfigOptions.key("topics.orders")
                    .stringType()
                    .defaultValue("orders")
                    .withDescription("Orders, keyed by orderId.");

    public static final ConfigOption<String> PRODUCTS_TOPIC =
            ConfigOptions.key("topics.products")
                    .stringType()
                    .defaultValue("products")
                    .withDescription(
                            "Product change events (Debezium envelope), keyed by productId.");

    public static final ConfigOption<String> CUSTOMERS_TOPIC =
            ConfigOptions.key("topics.customers")
                    .stringType()
                    .defaultValue("customers")
                    .withDescription(
                            "Customer change events (Debezium envelope), keyed by customerId.");

    public static final ConfigOption<String> OUTPUT_TOPIC =
            ConfigOptions.key("topics.orders-enriched")
                    .stringType()
                    .defaultValue("orders-enriched")
                    .withDescription("Enriched orders, keyed by orderId.");

    /** The options of the join stage, shared with every job that reuses it. */
    public static List<ConfigOption<?>> stageOptions() {
        return List.of(ORDERS_TOPIC, PRODUCTS_TOPIC, CUSTOMERS_TOPIC);
    }

    public static List<ConfigOption<?>> options() {
        return List.of(ORDERS_TOPIC, PRODUCTS_TOPIC, CUSTOMERS_TOPIC, OUTPUT_TOPIC);
    }

    private final TidemarkConfig common;
    private final EnrichmentInputs inputs;
    private final String outputTopic;

    private EnrichmentConfig(Configuration conf) {
        this.common = TidemarkConfig.from(conf, Uids.JOB);
        this.inputs = inputs(conf);
        this.outputTopic = conf.get(OUTPUT_TOPIC);
    }

    /** The stage's input topics under a configuration. */
    public static EnrichmentInputs inputs(Configuration conf) {
        return new EnrichmentInputs(
                conf.get(ORDERS_TOPIC), conf.get(PRODUCTS_TOPIC), conf.get(CUSTOMERS_TOPIC));
    }

    public static EnrichmentConfig fromArgs(String... args) {
        return from(ConfigLoader.load(JobArgs.parse(args), options()));
    }

    public static EnrichmentConfig from(Configuration conf) {
        return new EnrichmentConfig(conf);
    }

    public TidemarkConfig common() {
        return common;
    }

    public EnrichmentInputs inputs() {
        return inputs;
    }

    public String outputTopic() {
        return outputTopic;
    }

    @Override
    public String toString() {
        return "EnrichmentConfig{"
                + common
                + ", inputs="
                + inputs
                + ", output="
                + outputTopic
                + '}';
    }
}
