package io.tidemark.common.local.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** {@link Replay#abortedRecords}: records of aborted transactions are counted per partition. */
class AbortedRecordsITCase {

    @Test
    void recordsOfAnAbortedTransactionAreCountedPerPartitionAndCommittedOnesAreNot() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("out", 2);
            Properties props = kafka.clientProperties();
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "t-1");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
                producer.initTransactions();
                producer.beginTransaction();
                send(producer, 0, 2);
                producer.commitTransaction();
                producer.beginTransaction();
                send(producer, 1, 3);
                producer.flush();
                producer.abortTransaction();
            }

            assertThat(Replay.abortedRecords(kafka.bootstrapServers(), "out"))
                    .isEqualTo(Map.of(1, 3));
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, int partition, int count) {
        for (int i = 0; i < count; i++) {
            producer.send(
                    new ProducerRecord<>(
                            "out",
                            partition,
                            ("k" + i).getBytes(StandardCharsets.UTF_8),
                            "{}".getBytes(StandardCharsets.UTF_8)));
        }
    }
}
