package io.tidemark.jobs.enrichment;

import io.tidemark.common.runtime.kafka.KafkaOutputs;
import io.tidemark.common.runtime.kafka.OutputSink;
import io.tidemark.common.runtime.kafka.SinkPreflight;
import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.jobs.enrichment.stage.EnrichedStreams;
import io.tidemark.jobs.enrichment.stage.EnrichmentStage;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The enrichment job: the join stage between Kafka sources and exactly-once Kafka sinks. */
public final class EnrichmentTopology {

    private EnrichmentTopology() {}

    public static void wire(StreamExecutionEnvironment env, EnrichmentConfig config) {
        var common = config.common();
        OutputSink<EnrichedOrder> output =
                KafkaOutputs.sink(Uids.SINK_OUTPUT, EnrichedOrder.class)
                        .topic(config.outputTopic())
                        .key(EnrichedOrder::getOrderId)
                        .timestamp(order -> order.getEventTime().toEpochMilli())
                        .config(common)
                        .build();
        OutputSink<ErrorEnvelope> late =
                KafkaOutputs.envelopes(Uids.SINK_LATE, common.lateTopic(), common);
        OutputSink<ErrorEnvelope> dlq =
                KafkaOutputs.envelopes(Uids.SINK_DLQ, common.dlqTopic(), common);
        SinkPreflight.check(common, List.of(output, late, dlq));

        EnrichedStreams streams = EnrichmentStage.apply(env, common, config.inputs());
        output.attach(streams.orders(), common.uidPrefix());
        late.attach(streams.late(), common.uidPrefix());
        dlq.attach(streams.dlq(), common.uidPrefix());
    }
}
