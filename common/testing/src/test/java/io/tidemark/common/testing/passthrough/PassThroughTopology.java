package io.tidemark.common.testing.passthrough;

import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.ingest.Ingested;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.kafka.KafkaInputs;
import io.tidemark.common.runtime.kafka.KafkaOutputs;
import io.tidemark.common.runtime.kafka.OutputSink;
import io.tidemark.common.runtime.kafka.SinkPreflight;
import io.tidemark.common.schemas.Click;
import java.util.List;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The smallest Tidemark job: clicks in, validated and classified, written out unchanged. Used by
 * the foundation's integration test to exercise the whole runtime against a real broker.
 */
final class PassThroughTopology {

    private PassThroughTopology() {}

    static void build(
            StreamExecutionEnvironment env,
            TidemarkConfig config,
            String inputTopic,
            String outputTopic) {
        Ingested<Click> clicks =
                KafkaInputs.ingest(
                        env, config, inputTopic, "clicks", new ClickSpec(), InputTap.NONE);

        OutputSink<Click> output =
                KafkaOutputs.sink("output", Click.class)
                        .topic(outputTopic)
                        .key(Click::getUserId)
                        .timestamp(click -> click.getEventTime().toEpochMilli())
                        .config(config)
                        .build();
        var late = KafkaOutputs.envelopes("late", config.lateTopic(), config);
        var dlq = KafkaOutputs.envelopes("dlq", config.dlqTopic(), config);
        SinkPreflight.check(config, List.of(output, late, dlq));

        output.attach(
                clicks.onTime()
                        .map(record -> record.payload)
                        .returns(new AvroTypeInfo<>(Click.class))
                        .uid(config.jobName() + ".payload")
                        .name("payload"),
                config.jobName());
        late.attach(clicks.late(), config.uidPrefix());
        dlq.attach(clicks.dlq(), config.uidPrefix());
    }
}
