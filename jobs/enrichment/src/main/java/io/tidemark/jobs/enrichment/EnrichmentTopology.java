package io.tidemark.jobs.enrichment;

import io.tidemark.common.joins.EnrichedStreams;
import io.tidemark.common.joins.EnrichmentStage;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.kafka.KafkaOutputs;
import io.tidemark.common.runtime.kafka.OutputSink;
import io.tidemark.common.runtime.kafka.SinkPreflight;
import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.ErrorEnvelope;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The enrichment job: the join stage between Kafka sources and exactly-once Kafka sinks. */
public final class EnrichmentTopology {

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
                        .key(EnrichedOrder::getOrderId)
                        .timestamp(order -> order.getEventTime().toEpochMilli())
                        .config(common)
                        .build();
        OutputSink<ErrorEnvelope> late =
                KafkaOutputs.envelopes(EnrichmentUids.SINK_LATE, common.lateTopic(), common);
        OutputSink<ErrorEnvelope> dlq =
                KafkaOutputs.envelopes(EnrichmentUids.SINK_DLQ, common.dlqTopic(), common);
        SinkPreflight.check(common, List.of(output, late, dlq));

        EnrichedStreams streams =
                EnrichmentStage.apply(
                        env,
                        common,
                        config.inputs(),
                        config.assemblyTimeout(),
                        config.dedupHorizon(),
                        tap);
        output.attach(streams.orders(), common.uidPrefix());
        late.attach(streams.late(), common.uidPrefix());
        dlq.attach(streams.dlq(), common.uidPrefix());
    }
}
