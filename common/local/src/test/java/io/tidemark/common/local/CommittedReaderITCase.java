package io.tidemark.common.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link CommittedReader#awaitSettled} really compares the last stable offset with the high
 * watermark. It once built both of its consumers read_committed, compared the LSO with itself and
 * returned at once; reading right after a job then missed every partition whose commit marker the
 * broker had not written yet (a whole partition of a BATCH replay's output, now and then).
 */
class CommittedReaderITCase {

    @Test
    void awaitSettledWaitsForAnOpenTransactionAndReturnsOnceItIsCommitted() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("out", 2);
            try (KafkaProducer<byte[], byte[]> producer = transactional(kafka)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(record(1));
                producer.flush();

                assertThatThrownBy(
                                () ->
                                        CommittedReader.awaitSettled(
                                                kafka.bootstrapServers(),
                                                List.of("out"),
                                                Duration.ofMillis(500)))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("transactions still open")
                        .hasMessageContaining("out-1");

                producer.commitTransaction();
            }
            CommittedReader.awaitSettled(
                    kafka.bootstrapServers(), List.of("out"), Duration.ofSeconds(30));
            assertThat(CommittedReader.read(kafka.bootstrapServers(), "out", new Properties()))
                    .hasSize(1);
        }
    }

    private static KafkaProducer<byte[], byte[]> transactional(EmbeddedKafka kafka) {
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "t-open");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    private static ProducerRecord<byte[], byte[]> record(int partition) {
        return new ProducerRecord<>(
                "out",
                partition,
                "k".getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8));
    }
}
