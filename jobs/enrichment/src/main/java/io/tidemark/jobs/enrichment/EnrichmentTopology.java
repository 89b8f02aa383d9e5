package io.tidemark.jobs.enrichment;

import io.tidemark.common.joins.EnrichedStreams;
import io.tidemark.common.joins.EnrichmentStage;
import io.tidemark.common.postgres.ReadModelSink;
import io.tidemark.common.postgres.tables.OrdersEnrichedTable;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.kafka.KafkaOutputs;
import io.tidemark.common.runtime.kafka.OutputSink;
import io.tidemark.common.runtime.kafka.SinkPreflight;
import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.ErrorEnvelope;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;

/** The enrichment job: the join stage between Kafka sources and exactly-once Kafka sinks. */
public final class EnrichmentTopology {

    /** The result key: Kafka key of orders-enriched and primary key of orders_enriched. */
    private static final SerializableFunction<EnrichedOrder, String> ORDER_KEY =
            EnrichedOrder::getOrderId;

    private EnrichmentTopology() {}

    /** Kafka in, Kafka out: the job as it runs. Fails before starting if the preflight fails. */
    public static void wire(StreamExecutionEnvironment env, EnrichmentConfig config) {
        wire(env, config, InputTap.NONE);
    }

    /** The same, with {@code tap} after each source (tests and tools). */
    public static void wire(StreamExecutionEnvironment env, EnrichmentConfig config, InputTap tap) {
        var common = config.common();
        OutputSink<EnrichedOrder> output =
                KafkaOutputs.sink(EnrichmentUids.SINK_OUTPUT, EnrichedOrder.class)
                        .topic(config.outputTopic())
                        .key(ORDER_KEY)
                        .timestamp(order -> order.getEventTime().toEpochMilli())
                        .config(common)
                        .build();
        OutputSink<ErrorEnvelope> late =
                KafkaOutputs.envelopes(EnrichmentUids.SINK_LATE, common.lateTopic(), common);
        OutputSink<ErrorEnvelope> dlq =
                KafkaOutputs.envelopes(EnrichmentUids.SINK_DLQ, common.dlqTopic(), common);
        SinkPreflight.check(common, List.of(output, late, dlq));
        ReadModelSink readModel =
                ReadModelSink.of(config.postgres(), common.jobName(), common.uidPrefix());
        readModel.preflight();

        EnrichedStreams streams =
                EnrichmentStage.apply(
                        env,
                        common,
                        config.inputs(),
                        config.assemblyTimeout(),
                        config.dedupHorizon(),
                        tap);
        DataStream<EnrichedOrder> orders = output.attach(streams.orders(), common.uidPrefix());
        readModel.write(orders, new OrdersEnrichedTable(ORDER_KEY), output.topic());
        late.attach(streams.late(), common.uidPrefix());
        dlq.attach(readModel.withRejects(streams.dlq()), common.uidPrefix());
    }
}
