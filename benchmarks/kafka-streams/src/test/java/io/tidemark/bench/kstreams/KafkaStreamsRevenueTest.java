package io.tidemark.bench.kstreams;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.Decoded;
import io.tidemark.common.schemas.RevenueAggregate;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka Streams revenue query end to end on the tiny fixed shop ({@link RevenueFixture}):
 * deduplicated, joined with the versions valid at each order's time, summed per group in 1-minute
 * windows and rolled up per hour, each closed window committed once with Tidemark's key.
 */
class KafkaStreamsRevenueTest {

    @TempDir Path workDir;

    @Test
    void revenuePerGroupAndWindowMatchesTheHandWorkedFigures() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            RevenueFixture.write(kafka);
            KafkaStreamsRevenue.Result result =
                    KafkaStreamsRevenue.run(
                            KafkaStreamsRevenue.Args.parse(
                                    new String[] {
                                        "--bootstrap", kafka.bootstrapServers(),
                                        "--output-1m", "revenue-1m",
                                        "--output-1h", "revenue-1h",
                                        "--work-dir", workDir.toString(),
                                        "--commit-interval-ms", "1000",
                                        "--timeout-s", "120"
                                    }));
            assertThat(result.records()).isEqualTo(11 + 4 + 3);
            assertThat(result.orders()).isEqualTo(11);
            assertThat(result.skipped()).isZero();

            assertThat(firstHour(committed(kafka, "revenue-1m")))
                    .containsExactlyInAnyOrderElementsOf(RevenueFixture.EXPECTED_1M);
            assertThat(firstHour(committed(kafka, "revenue-1h")))
                    .containsExactlyInAnyOrderElementsOf(RevenueFixture.EXPECTED_1H);
        }
    }

    private static List<String> firstHour(List<String> results) {
        return results.stream().filter(r -> r.contains("|2026-11-01T00:")).toList();
    }

    /** The committed results as {@code key orders units revenueMinor}. */
    private static List<String> committed(EmbeddedKafka kafka, String topic) {
        SingleObjectCodec<RevenueAggregate> codec = SingleObjectCodec.of(RevenueAggregate.class);
        List<String> results = new ArrayList<>();
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (var consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read %s to its end", topic).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    Decoded<RevenueAggregate> decoded = codec.decode(record.value());
                    assertThat(decoded.kind()).isEqualTo(Decoded.Kind.RECORD);
                    RevenueAggregate a = decoded.record();
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    assertThat(key)
                            .isEqualTo(
                                    a.getCategory()
                                            + "|"
                                            + a.getRegion()
                                            + "|"
                                            + a.getCurrency()
                                            + "|"
                                            + AvroJson.formatInstant(
                                                    a.getWindowStart().toEpochMilli()));
                    assertThat(record.timestamp()).isEqualTo(a.getWindowStart().toEpochMilli());
                    results.add(
                            key
                                    + " "
                                    + a.getOrders()
                                    + " "
                                    + a.getUnits()
                                    + " "
                                    + a.getRevenueMinor());
                }
            }
        }
        return results;
    }
}
