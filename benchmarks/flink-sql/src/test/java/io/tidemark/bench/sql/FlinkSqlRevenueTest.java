package io.tidemark.bench.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.RevenueAggregate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL revenue query end to end on the tiny fixed shop ({@link RevenueFixture}): prepared to
 * plain Avro, joined with the versions valid at each order's time, deduplicated, summed per group
 * in 1-minute windows and rolled up per hour, committed exactly once with Tidemark's keys.
 */
class FlinkSqlRevenueTest {

    @TempDir Path work;

    @Test
    void revenuePerGroupAndWindowMatchesTheHandWorkedFigures() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            RevenueFixture.write(kafka);
            for (String input : List.of("orders", "products", "customers")) {
                var outcome =
                        PrepareSqlRevenueInput.prepare(bootstrap, input, input, input + "-plain");
                assertThat(outcome.skipped()).isZero();
                assertThat(outcome.written()).isPositive();
            }
            String line =
                    FlinkSqlRevenue.run(
                                    FlinkSqlRevenue.Options.parse(
                                            new String[] {
                                                "--bootstrap",
                                                bootstrap,
                                                "--output-1m",
                                                "revenue-1m",
                                                "--output-1h",
                                                "revenue-1h",
                                                "--work-dir",
                                                work.toString()
                                            }))
                            .text();
            Map<String, Object> result = io.tidemark.bench.probe.ResultLine.parse(line);
            assertThat(result).containsEntry("variant", "flink-sql-revenue");
            assertThat(((Number) result.get("records")).longValue()).isEqualTo(11 + 4 + 3);

            assertThat(firstHour(committed(kafka, "revenue-1m")))
                    .containsExactlyInAnyOrderElementsOf(RevenueFixture.EXPECTED_1M);
            assertThat(firstHour(committed(kafka, "revenue-1h")))
                    .containsExactlyInAnyOrderElementsOf(RevenueFixture.EXPECTED_1H);
        }
    }

    /** The results of windows starting in the first hour, as {@code key orders units revenue}. */
    private static List<String> firstHour(List<String> results) {
        return results.stream().filter(r -> r.contains("|2026-11-01T00:")).toList();
    }

    private static List<String> committed(EmbeddedKafka kafka, String topic) throws Exception {
        // The sink's value has RevenueAggregate's fields, types and order.
        var reader = new SpecificDatumReader<RevenueAggregate>(RevenueAggregate.getClassSchema());
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
                    RevenueAggregate a =
                            reader.read(
                                    null, DecoderFactory.get().binaryDecoder(record.value(), null));
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
