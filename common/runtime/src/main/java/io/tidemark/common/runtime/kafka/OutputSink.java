package io.tidemark.common.runtime.kafka;

import io.tidemark.common.runtime.config.DeliveryGuarantee;
import java.util.List;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.function.SerializableFunction;

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
        KafkaSink<T> sink,
        SerializableFunction<T, Long> timestamp,
        Long emitFrom) {

    /**
     * Attaches the sink to a stream with the uid {@code <uidPrefix>.sink.<name>} and a name. With
     * {@code source.emit-from}, a filter (uid {@code <uidPrefix>.emit-from.<name>}) first drops
     * records whose Kafka timestamp is before it: the warm-up of a backfill is not written.
     *
     * @return what the sink writes (after that filter), for other sinks of the same results
     */
    public DataStream<T> attach(DataStream<T> stream, String uidPrefix) {
        DataStream<T> written = stream;
        if (emitFrom != null) {
            long from = emitFrom;
            SerializableFunction<T, Long> time = timestamp;
            written =
                    stream.filter(record -> time.apply(record) >= from)
                            .uid(uidPrefix + ".emit-from." + name)
                            .name("skip warm-up before " + topic);
        }
        written.sinkTo(sink).uid(uid(uidPrefix, name)).name("write " + topic);
        return written;
    }

    /** The uid of a sink named {@code name}: {@code <job>.sink.<name>}. */
    public static String uid(String job, String name) {
        return job + ".sink." + name;
    }

    /**
     * The uids a sink named {@code name} adds to a graph, for uid manifests: its writer ({@link
     * #uid}) and the committer Flink derives from it ({@code Sink Committer: <uid>}), which holds
     * the committables of transactions not yet committed.
     */
    public static List<String> uids(String job, String name) {
        String writer = uid(job, name);
        return List.of(writer, "Sink Committer: " + writer);
    }
}
