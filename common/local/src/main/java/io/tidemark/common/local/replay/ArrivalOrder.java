package io.tidemark.common.local.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The order in which a live replay produces its input while the job runs. Each partition keeps its
 * own order (that is the input); only how partitions and topics interleave changes — which is
 * exactly what must not change the output.
 */
public enum ArrivalOrder {
    /** Topics one after another in the job's input order, each in file order. */
    TOPICS_IN_ORDER,
    /** Topics in reverse input order, and within each topic the partitions last to first. */
    REVERSED;

    /** The records of all inputs ({@code perTopic} in the job's input order) as produced. */
    List<ProducerRecord<byte[], byte[]>> arrange(
            List<List<ProducerRecord<byte[], byte[]>>> perTopic) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        if (this == TOPICS_IN_ORDER) {
            perTopic.forEach(out::addAll);
            return out;
        }
        for (int i = perTopic.size() - 1; i >= 0; i--) {
            List<ProducerRecord<byte[], byte[]>> topic = new ArrayList<>(perTopic.get(i));
            // Stable sort: each partition's records keep their order.
            topic.sort(
                    Comparator.comparingInt((ProducerRecord<byte[], byte[]> r) -> r.partition())
                            .reversed());
            out.addAll(topic);
        }
        return out;
    }
}
