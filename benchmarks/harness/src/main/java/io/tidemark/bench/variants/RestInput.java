package io.tidemark.bench.variants;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Appends to a topic holding a prefix of another (the same seeded stream, partition for partition)
 * the rest of that other topic: partition, key, value and timestamp kept, order kept.
 */
final class RestInput {

    private RestInput() {}

    /**
     * Copies {@code from}'s records past {@code to}'s end offsets into {@code to}; returns them.
     */
    static long copy(String bootstrap, String from, String to) throws Exception {
        Map<TopicPartition, Long> prefix = InputTopic.endOffsets(bootstrap, to);
        Map<TopicPartition, Long> end = InputTopic.endOffsets(bootstrap, from);
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        long copied = 0;
        try (var consumer =
                        new KafkaConsumer<>(
                                consumerProps,
                                new ByteArrayDeserializer(),
                                new ByteArrayDeserializer());
                var producer =
                        new KafkaProducer<>(
                                producerProps,
                                new ByteArraySerializer(),
                                new ByteArraySerializer())) {
            List<TopicPartition> partitions = new ArrayList<>(end.keySet());
            consumer.assign(partitions);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, prefix.get(new TopicPartition(to, tp.partition())));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not copy the rest of " + from);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    producer.send(
                            new ProducerRecord<>(
                                    to, r.partition(), r.timestamp(), r.key(), r.value()));
                    copied++;
                }
            }
            producer.flush();
        }
        return copied;
    }
}
