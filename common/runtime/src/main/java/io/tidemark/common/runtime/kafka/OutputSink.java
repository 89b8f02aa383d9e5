package io.tidemark.common.runtime.kafka;

import io.tidemark.common.runtime.config.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

/**
 * A built Kafka sink with what the preflight needs to know about it.
 *
 * @param name the sink's short name, unique in the job (uid {@code <job>.sink.<name>})
 */
public record OutputSink<T>(
        String name,
        String topic,
        String transactionalIdPrefix,
        DeliveryGuarantee deliveryGuarantee,
        long transactionTimeoutMs,
        KafkaSink<T> sink) {

    /** Attaches the sink to a stream with the uid {@code <uidPrefix>.sink.<name>} and a name. */
    public DataStreamSink<T> attach(DataStream<T> stream, String uidPrefix) {
        return stream.sinkTo(sink).uid(uidPrefix + ".sink." + name).name("write " + topic);
    }
}
