package io.tidemark.common.joins;

import io.tidemark.common.joins.functions.AssembleOrder;
import io.tidemark.common.joins.functions.CustomerChangeSpec;
import io.tidemark.common.joins.functions.DeduplicateOrders;
import io.tidemark.common.joins.functions.JoinCustomer;
import io.tidemark.common.joins.functions.JoinProduct;
import io.tidemark.common.joins.functions.LineTask;
import io.tidemark.common.joins.functions.OrderSpec;
import io.tidemark.common.joins.functions.ProductChangeSpec;
import io.tidemark.common.runtime.config.InvalidConfigException;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.ingest.IngestStage;
import io.tidemark.common.runtime.ingest.Ingested;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.kafka.KafkaInputs;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.schemas.CustomerChange;
import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.ProductChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Validation → deterministic lateness → event-time temporal join of orders with the product and
 * customer changelogs, as one reusable stage. The enrichment job writes its result; the revenue job
 * aggregates it. Both read the <em>source</em> topics, never {@code orders-enriched} (DESIGN.md §1:
 * a topic written by a parallel job has no deterministic order).
 *
 * <pre>
 *   orders ──validate/classify──▶ keyBy orderId ─▶ dedup ─▶ keyBy customerId ─┐
 *   customers ─validate/classify─▶ keyBy customerId ─┴▶ join customer ─▶ keyBy productId ─┐
 *   products ──validate/classify──────────────────────────────────────▶ keyBy productId ─┴▶ join product
 *        ─▶ keyBy order reference ─▶ assemble ─▶ enriched orders
 * </pre>
 *
 * Uids are {@code <job>.<stage>[.<input>]}, so two jobs using the stage keep separate state.
 */
public final class EnrichmentStage {

    public static final String DEDUP_ORDERS = "dedup.orders";
    public static final String JOIN_CUSTOMER = "join-customer";
    public static final String JOIN_PRODUCT = "join-product";
    public static final String ASSEMBLE = "assemble";

    private EnrichmentStage() {}

    /** The inputs' short names (uids {@code <job>.<stage>.<input>}). */
    public static final String ORDERS = "orders";

    public static final String PRODUCTS = "products";
    public static final String CUSTOMERS = "customers";

    /**
     * How long past an order's event time (in event time) the assembly waits for its lines before
     * it dead-letters the order as {@code INCOMPLETE_ORDER} and clears its state. Lines normally
     * all arrive before the watermark passes the order's time, so this only bounds broken orders.
     */
    public static final ConfigOption<Duration> ASSEMBLY_TIMEOUT =
            ConfigOptions.key("enrichment.assembly-timeout")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "Event time past an order's event time after which an order whose"
                                    + " lines did not all arrive goes to the DLQ"
                                    + " (INCOMPLETE_ORDER) and its state is cleared.");

    /** The assembly timeout of a configuration, validated (zero or positive). */
    public static Duration assemblyTimeout(Configuration conf) {
        Duration timeout = conf.get(ASSEMBLY_TIMEOUT);
        if (timeout.isNegative()) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + timeout
                            + "' for configuration key '"
                            + ASSEMBLY_TIMEOUT.key()
                            + "': expected a duration >= 0 such as 1 h");
        }
        return timeout;
    }

    /**
     * How far (in event time) past the event time of an order that passed the dedup operator a copy
     * with the same {@code orderId} still counts as a duplicate; see {@link DeduplicateOrders}. The
     * operator keeps one entry per orderId for this long past its event time.
     */
    public static final ConfigOption<Duration> DEDUP_HORIZON =
            ConfigOptions.key("enrichment.dedup-horizon")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "Event time past an order's event time within which a later copy with"
                                    + " the same orderId (a producer retry) is dropped as a"
                                    + " duplicate; the dedup state of the orderId is cleared"
                                    + " then. 0 drops only copies with the same event time.");

    /** The dedup horizon of a configuration, validated (zero or positive). */
    public static Duration dedupHorizon(Configuration conf) {
        Duration horizon = conf.get(DEDUP_HORIZON);
        if (horizon.isNegative()) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + horizon
                            + "' for configuration key '"
                            + DEDUP_HORIZON.key()
                            + "': expected a duration >= 0 such as 24 h");
        }
        return horizon;
    }

    /**
     * Every uid the stage adds to job {@code job}: the ingest stage of each input, then the dedup
     * of orders, the two joins and the assembly (the stateful ones).
     */
    public static List<String> uids(String job) {
        List<String> uids = new ArrayList<>();
        for (String input : List.of(ORDERS, PRODUCTS, CUSTOMERS)) {
            uids.addAll(IngestStage.uids(job, input));
        }
        uids.add(job + "." + DEDUP_ORDERS);
        uids.add(job + "." + JOIN_CUSTOMER);
        uids.add(job + "." + JOIN_PRODUCT);
        uids.add(job + "." + ASSEMBLE);
        return List.copyOf(uids);
    }

    /** The stage with the default assembly timeout and dedup horizon. */
    public static EnrichedStreams apply(
            StreamExecutionEnvironment env,
            TidemarkConfig common,
            EnrichmentInputs topics,
            InputTap tap) {
        return apply(
                env,
                common,
                topics,
                ASSEMBLY_TIMEOUT.defaultValue(),
                DEDUP_HORIZON.defaultValue(),
                tap);
    }

    /**
     * @param assemblyTimeout see {@link #ASSEMBLY_TIMEOUT}
     * @param dedupHorizon see {@link #DEDUP_HORIZON}
     * @param tap what a test inserts after each source; {@link InputTap#NONE} in production
     */
    public static EnrichedStreams apply(
            StreamExecutionEnvironment env,
            TidemarkConfig common,
            EnrichmentInputs topics,
            Duration assemblyTimeout,
            Duration dedupHorizon,
            InputTap tap) {
        String job = common.uidPrefix();
        Ingested<Order> orders =
                KafkaInputs.ingest(env, common, topics.orders(), ORDERS, new OrderSpec(), tap);
        Ingested<ProductChange> products =
                KafkaInputs.ingest(
                        env, common, topics.products(), PRODUCTS, new ProductChangeSpec(), tap);
        Ingested<CustomerChange> customers =
                KafkaInputs.ingest(
                        env, common, topics.customers(), CUSTOMERS, new CustomerChangeSpec(), tap);

        DataStream<InputRecord<Order>> uniqueOrders =
                orders.onTime()
                        .keyBy(record -> record.payload.getOrderId(), Types.STRING)
                        .process(
                                new DeduplicateOrders(dedupHorizon.toMillis()),
                                InputRecord.typeInfo(Order.class))
                        .uid(job + "." + DEDUP_ORDERS)
                        .name("dedup orders by orderId");

        DataStream<LineTask> withCustomer =
                uniqueOrders
                        .keyBy(record -> record.payload.getCustomerId(), Types.STRING)
                        .connect(
                                customers
                                        .onTime()
                                        .keyBy(
                                                record ->
                                                        CustomerChangeSpec.customerId(
                                                                record.payload),
                                                Types.STRING))
                        .process(new JoinCustomer(), LineTask.typeInfo())
                        .uid(job + "." + JOIN_CUSTOMER)
                        .name("join customer version at order time");

        DataStream<LineTask> withProduct =
                withCustomer
                        .keyBy(LineTask::productId, Types.STRING)
                        .connect(
                                products.onTime()
                                        .keyBy(
                                                record ->
                                                        ProductChangeSpec.productId(record.payload),
                                                Types.STRING))
                        .process(new JoinProduct(), LineTask.typeInfo())
                        .uid(job + "." + JOIN_PRODUCT)
                        .name("join product version at order time");

        SingleOutputStreamOperator<EnrichedOrder> enriched =
                withProduct
                        .keyBy(task -> task.ref, Types.STRING)
                        .process(
                                new AssembleOrder(common.jobName(), assemblyTimeout.toMillis()),
                                new AvroTypeInfo<>(EnrichedOrder.class))
                        .uid(job + "." + ASSEMBLE)
                        .name("assemble enriched order");
        DataStream<ErrorEnvelope> incomplete = enriched.getSideOutput(AssembleOrder.INCOMPLETE);

        return new EnrichedStreams(
                enriched,
                orders.late().union(products.late(), customers.late()),
                orders.dlq().union(products.dlq(), customers.dlq(), incomplete));
    }
}
