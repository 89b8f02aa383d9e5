package io.tidemark.common.joins;

import io.tidemark.common.runtime.job.JobTopic;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * The source topics of the order enrichment stage and the options that name them. Every job that
 * uses the stage accepts these options, so the topics are configured the same way in each.
 */
public record EnrichmentInputs(String orders, String products, String customers) {

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

    /**
     * The stage's options, accepted by every job that uses it: its topics and {@link
     * EnrichmentStage#ASSEMBLY_TIMEOUT} and {@link EnrichmentStage#DEDUP_HORIZON}.
     */
    public static List<ConfigOption<?>> options() {
        return List.of(
                ORDERS_TOPIC,
                PRODUCTS_TOPIC,
                CUSTOMERS_TOPIC,
                EnrichmentStage.ASSEMBLY_TIMEOUT,
                EnrichmentStage.DEDUP_HORIZON);
    }

    public static EnrichmentInputs defaults() {
        return new EnrichmentInputs(
                ORDERS_TOPIC.defaultValue(),
                PRODUCTS_TOPIC.defaultValue(),
                CUSTOMERS_TOPIC.defaultValue());
    }

    /** The stage's input topics under a configuration. */
    public static EnrichmentInputs from(Configuration conf) {
        return new EnrichmentInputs(
                conf.get(ORDERS_TOPIC), conf.get(PRODUCTS_TOPIC), conf.get(CUSTOMERS_TOPIC));
    }

    /** The inputs as tools see them: orders.jsonl, products.jsonl, customers.jsonl. */
    public List<JobTopic> topics() {
        return List.of(
                new JobTopic("orders", orders, "Order"),
                new JobTopic("products", products, "ProductChange"),
                new JobTopic("customers", customers, "CustomerChange"));
    }
}
