package io.tidemark.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.common.local.ClickGenerator;
import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.local.KeyPartitioner;
import io.tidemark.common.local.LoadResult;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.ClickType;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaAndLoaderITCase {

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final List<String> EVERY_CONTROL_FIELD =
            List.of(
                    click("c1", "alice", "2026-11-01T10:00:00.000Z", ""),
                    click(
                            "c2",
                            "bob",
                            "2026-11-01T10:00:01.000Z",
                            "\"_partition\":2,\"_key\":\"k2\","),
                    click("c3", "carol", "2026-11-01T10:00:02.000Z", "\"_key\":null,"),
                    click("c4", "dave", "2026-11-01T10:00:03.000Z", "\"_timestamp\":1000,"),
                    "{\"_raw\":\"not avro\",\"_partition\":1,\"_key\":\"erin\","
                            + "\"_timestamp\":\"2026-11-01T10:00:04Z\"}",
                    "{\"_rawBase64\":\"wwH/\",\"_partition\":2,\"_timestamp\":5000}",
                    "{\"_type\":\"Order\",\"_key\":\"frank\",\"orderId\":\"o1\","
                            + "\"customerId\":\"frank\",\"eventTime\":\"2026-11-01T10:00:05Z\","
                            + "\"currency\":\"EUR\",\"lines\":[]}",
                    "",
                    "{\"_type\":\"Heartbeat\",\"eventTime\":\"2026-11-01T11:00:00.000Z\"}");

    private static String click(String id, String user, String time, String control) {
        return "{"
                + control
                + "\"eventId\":\""
                + id
                + "\",\"userId\":\""
                + user
                + "\",\"eventTime\":\""
                + time
                + "\",\"type\":\"PAGE_VIEW\",\"page\":\"/\"}";
    }

    @Test
    void loadWritesWhatToRecordsSaysAndCommittedReaderReadsItBack() {
        KAFKA.createTopic("every-control-field", 3);

        LoadResult result =
                JsonLinesLoader.load(
                        EVERY_CONTROL_FIELD,
                        "inline",
                        "every-control-field",
                        "Click",
                        KAFKA.bootstrapServers(),
                        new Properties());
        List<ConsumerRecord<byte[], byte[]>> read =
                CommittedReader.read(KAFKA.bootstrapServers(), "every-control-field", null);

        List<ProducerRecord<byte[], byte[]>> expected =
                JsonLinesLoader.toRecords(
                        EVERY_CONTROL_FIELD, "inline", "every-control-field", "Click", 3);
        assertThat(result.total()).isEqualTo(expected.size()).isEqualTo(read.size());
        assertThat(summaries(read)).isEqualTo(summariesInPartitionOrder(expected));
        assertThat(result.recordsPerPartition().keySet()).containsExactly(0, 1, 2);
    }

    @Test
    void controlFieldsDecideKeyPartitionTimestampAndBytes() {
        KAFKA.createTopic("controls", 3);
        JsonLinesLoader.load(
                EVERY_CONTROL_FIELD, "inline", "controls", "Click", KAFKA.bootstrapServers(), null);

        List<ConsumerRecord<byte[], byte[]>> read =
                CommittedReader.read(KAFKA.bootstrapServers(), "controls", null);

        ConsumerRecord<byte[], byte[]> alice = byKey(read, "alice");
        assertThat(alice.partition()).isEqualTo(KeyPartitioner.partitionFor("alice", 3));
        assertThat(alice.timestamp())
                .isEqualTo(Instant.parse("2026-11-01T10:00:00Z").toEpochMilli());
        Click click = SingleObjectCodec.of(Click.class).decode(alice.value()).record();
        assertThat(click.getEventId()).isEqualTo("c1");
        assertThat(click.getType()).isEqualTo(ClickType.PAGE_VIEW);

        assertThat(byKey(read, "k2").partition()).isEqualTo(2);
        assertThat(byKey(read, "dave").timestamp()).isEqualTo(1000L);
        ConsumerRecord<byte[], byte[]> raw = byKey(read, "erin");
        assertThat(raw.partition()).isEqualTo(1);
        assertThat(new String(raw.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
        assertThat(AvroJson.toJson(byKey(read, "frank").value()).get("orderId").textValue())
                .isEqualTo("o1");

        List<ConsumerRecord<byte[], byte[]>> nullKeys =
                read.stream().filter(r -> r.key() == null).toList();
        // carol (partition 0 by the null-key rule), the base64 record, and three heartbeats.
        assertThat(nullKeys).hasSize(5);
        assertThat(nullKeys)
                .filteredOn(
                        r -> Arrays.equals(r.value(), new byte[] {(byte) 0xC3, 0x01, (byte) 0xFF}))
                .singleElement()
                .satisfies(r -> assertThat(r.partition()).isEqualTo(2));
        assertThat(nullKeys)
                .filteredOn(r -> decodesAs(r.value(), "Heartbeat"))
                .extracting(ConsumerRecord::partition)
                .containsExactly(0, 1, 2);
        assertThat(nullKeys)
                .filteredOn(r -> decodesAs(r.value(), "Click"))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.partition()).isZero();
                            assertThat(AvroJson.toJson(r.value()).get("userId").textValue())
                                    .isEqualTo("carol");
                        });
    }

    @Test
    void loadFromFileKeepsFileOrderWithinEachPartition(@TempDir Path dir) {
        KAFKA.createTopic("generated-clicks", 3);
        List<String> lines =
                ClickGenerator.generate(
                        ClickGenerator.Spec.builder()
                                .seed(11)
                                .events(3000)
                                .partitions(3)
                                .badPerReason(2)
                                .fractionDuplicates(0.05)
                                .build());
        Path file = dir.resolve("clicks.jsonl");
        CommittedReader.writeLines(file, lines);

        LoadResult result =
                JsonLinesLoader.load(
                        file,
                        "generated-clicks",
                        "Click",
                        KAFKA.bootstrapServers(),
                        new Properties());
        List<ConsumerRecord<byte[], byte[]>> read =
                CommittedReader.read(
                        KAFKA.bootstrapServers(), "generated-clicks", new Properties());

        assertThat(result.total()).isEqualTo(lines.size());
        assertThat(summaries(read))
                .isEqualTo(
                        summariesInPartitionOrder(
                                JsonLinesLoader.toRecords(
                                        lines, file.toString(), "generated-clicks", "Click", 3)));
    }

    @Test
    void abortedTransactionsAreInvisibleAndCommittedOnesAreRead() {
        KAFKA.createTopic("transactions", 2);
        Properties props = KAFKA.kafka().clientProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "committed-reader-test");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(0, "committed-1"));
            producer.send(record(1, "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(record(0, "aborted-1"));
            producer.send(record(1, "aborted-2"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(record(1, "committed-3"));
            producer.commitTransaction();
        }

        List<ConsumerRecord<byte[], byte[]>> read =
                CommittedReader.read(KAFKA.bootstrapServers(), "transactions", null);

        assertThat(read)
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("committed-1", "committed-2", "committed-3");
    }

    @Test
    void canonicalLinesAreSortedByKeyThenTextAndLastPerKeyKeepsTheLatestValue() {
        KAFKA.createTopic("canonical", 2);
        List<String> lines =
                List.of(
                        click("e3", "bob", "2026-11-01T10:00:00.000Z", ""),
                        click("e2", "alice", "2026-11-01T10:00:01.000Z", ""),
                        click("e1", "alice", "2026-11-01T10:00:02.000Z", ""),
                        click("e0", "zed", "2026-11-01T10:00:03.000Z", "\"_key\":null,"));
        JsonLinesLoader.load(lines, "inline", "canonical", "Click", KAFKA.bootstrapServers(), null);

        List<String> all = CommittedReader.canonicalLines(KAFKA.bootstrapServers(), "canonical");
        List<String> last =
                CommittedReader.canonicalLinesLastPerKey(KAFKA.bootstrapServers(), "canonical");

        assertThat(all).hasSize(4);
        assertThat(all.get(0)).contains("\"userId\":\"zed\""); // null key first
        assertThat(all.get(1)).contains("\"eventId\":\"e1\"").startsWith("{\"eventId\"");
        assertThat(all.get(2)).contains("\"eventId\":\"e2\"");
        assertThat(all.get(3)).contains("\"eventId\":\"e3\"");
        assertThat(last).hasSize(3);
        assertThat(last.get(1)).contains("\"eventId\":\"e1\""); // alice's later record
        assertThat(all.get(1))
                .isEqualTo(
                        "{\"eventId\":\"e1\",\"eventTime\":\"2026-11-01T10:00:02.000Z\","
                                + "\"page\":\"/\",\"productId\":null,\"type\":\"PAGE_VIEW\","
                                + "\"userId\":\"alice\"}");
    }

    @Test
    void loadingIntoAMissingTopicFailsNamingIt() {
        assertThatThrownBy(
                        () ->
                                JsonLinesLoader.load(
                                        EVERY_CONTROL_FIELD,
                                        "inline",
                                        "no-such-topic",
                                        "Click",
                                        KAFKA.bootstrapServers(),
                                        null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-topic");
    }

    private static ProducerRecord<byte[], byte[]> record(int partition, String value) {
        return new ProducerRecord<>(
                "transactions", partition, null, value.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean decodesAs(byte[] value, String type) {
        try {
            return SingleObjectCodec.decodeGeneric(value).getSchema().getName().equals(type);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ConsumerRecord<byte[], byte[]> byKey(
            List<ConsumerRecord<byte[], byte[]>> records, String key) {
        return records.stream()
                .filter(
                        r ->
                                r.key() != null
                                        && new String(r.key(), StandardCharsets.UTF_8).equals(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no record with key " + key));
    }

    /** partition | key | timestamp | value, in the reader's order (partition, then offset). */
    private static List<String> summaries(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.add(summary(r.partition(), r.key(), r.timestamp(), r.value()));
        }
        return out;
    }

    /** The same summary for what the loader sends, grouped by partition keeping send order. */
    private static List<String> summariesInPartitionOrder(
            List<ProducerRecord<byte[], byte[]>> records) {
        List<String> out = new ArrayList<>();
        int partitions = records.stream().mapToInt(ProducerRecord::partition).max().orElse(0) + 1;
        for (int p = 0; p < partitions; p++) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                if (r.partition() == p) {
                    out.add(summary(p, r.key(), r.timestamp(), r.value()));
                }
            }
        }
        return out;
    }

    private static String summary(int partition, byte[] key, long timestamp, byte[] value) {
        return partition
                + " | "
                + (key == null ? "<null>" : new String(key, StandardCharsets.UTF_8))
                + " | "
                + timestamp
                + " | "
                + java.util.Base64.getEncoder().encodeToString(value);
    }
}
