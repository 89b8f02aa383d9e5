package io.tidemark.common.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.ClickType;
import io.tidemark.common.schemas.Heartbeat;
import io.tidemark.common.schemas.SingleObjectCodec;
import io.tidemark.common.schemas.TidemarkSchemas;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class JsonLinesLoaderTest {

    private static final String CLICK =
            "{\"eventId\":\"e1\",\"userId\":\"%s\",\"eventTime\":\"2026-11-01T10:00:00.000Z\","
                    + "\"type\":\"PAGE_VIEW\",\"page\":\"/\"}";

    private static List<ProducerRecord<byte[], byte[]>> toRecords(int partitions, String... lines) {
        return JsonLinesLoader.toRecords(
                List.of(lines), "test.jsonl", "clicks", "Click", partitions);
    }

    @Test
    void routesByMurmur2OfTheDefaultKey() {
        for (String user : List.of("alice", "bob", "carol", "dave", "erin", "frank")) {
            ProducerRecord<byte[], byte[]> record = toRecords(3, String.format(CLICK, user)).get(0);

            byte[] key = user.getBytes(StandardCharsets.UTF_8);
            assertThat(record.key()).isEqualTo(key);
            assertThat(record.partition()).isEqualTo(Utils.toPositive(Utils.murmur2(key)) % 3);
        }
    }

    @Test
    void explicitPartitionAndKeyOverrideTheDefaults() {
        String line =
                String.format(CLICK, "alice").replace("{", "{\"_partition\":2,\"_key\":\"k\",");

        ProducerRecord<byte[], byte[]> record = toRecords(3, line).get(0);

        assertThat(record.partition()).isEqualTo(2);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("k");
    }

    @Test
    void nullKeyWithoutPartitionGoesToPartitionZero() {
        String line = String.format(CLICK, "alice").replace("{", "{\"_key\":null,");

        ProducerRecord<byte[], byte[]> record = toRecords(3, line).get(0);

        assertThat(record.key()).isNull();
        assertThat(record.partition()).isZero();
    }

    @Test
    void timestampDefaultsToTheEventTime() {
        ProducerRecord<byte[], byte[]> record = toRecords(1, String.format(CLICK, "alice")).get(0);

        assertThat(record.timestamp())
                .isEqualTo(Instant.parse("2026-11-01T10:00:00Z").toEpochMilli());
    }

    @Test
    void timestampOfChangeEventsDefaultsToTsMs() {
        String change =
                "{\"op\":\"c\",\"after\":{\"productId\":\"p1\",\"name\":\"n\",\"category\":\"c\","
                        + "\"listPriceMinor\":100},\"ts_ms\":1234}";

        ProducerRecord<byte[], byte[]> record =
                JsonLinesLoader.toRecords(
                                List.of(change), "p.jsonl", "products", "ProductChange", 2)
                        .get(0);

        assertThat(record.timestamp()).isEqualTo(1234L);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("p1");
    }

    @Test
    void explicitTimestampAcceptsIsoTextAndEpochMillis() {
        String iso =
                String.format(CLICK, "a").replace("{", "{\"_timestamp\":\"2026-01-01T00:00:00Z\",");
        String millis = String.format(CLICK, "a").replace("{", "{\"_timestamp\":42,");

        List<ProducerRecord<byte[], byte[]>> records = toRecords(1, iso, millis);

        assertThat(records.get(0).timestamp())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        assertThat(records.get(1).timestamp()).isEqualTo(42L);
    }

    @Test
    void missingTimestampFailsNamingTheLineAndTheFix() {
        String noTime =
                "{\"eventId\":\"e1\",\"userId\":\"u\",\"eventTime\":null,\"type\":\"PAGE_VIEW\"}";

        assertThatThrownBy(() -> toRecords(1, String.format(CLICK, "a"), "", noTime))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("test.jsonl:3: ")
                .hasMessageContaining("_timestamp");
    }

    @Test
    void unknownFieldFailsNamingLineAndField() {
        String line = String.format(CLICK, "a").replace("{", "{\"colour\":\"red\",");

        assertThatThrownBy(() -> toRecords(1, line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("test.jsonl:1: ")
                .hasMessageContaining("colour");
    }

    @Test
    void misspelledControlFieldFails() {
        String line = String.format(CLICK, "a").replace("{", "{\"_partiton\":1,");

        assertThatThrownBy(() -> toRecords(2, line))
                .hasMessageStartingWith("test.jsonl:1: ")
                .hasMessageContaining("_partiton");
    }

    @Test
    void invalidJsonAndOutOfRangePartitionFail() {
        assertThatThrownBy(() -> toRecords(1, "{not json"))
                .hasMessageStartingWith("test.jsonl:1: not valid JSON");
        String line = String.format(CLICK, "a").replace("{", "{\"_partition\":5,");
        assertThatThrownBy(() -> toRecords(2, line))
                .hasMessageStartingWith("test.jsonl:1: _partition: 5");
    }

    @Test
    void valuesAreSingleObjectEncodedClicks() {
        byte[] value = toRecords(1, String.format(CLICK, "alice")).get(0).value();

        Click click = SingleObjectCodec.of(Click.class).decode(value).record();

        assertThat(click.getUserId()).isEqualTo("alice");
        assertThat(click.getType()).isEqualTo(ClickType.PAGE_VIEW);
        assertThat(AvroJson.toJson(value).get("page").textValue()).isEqualTo("/");
    }

    @Test
    void rawValuesAreWrittenVerbatim() {
        List<ProducerRecord<byte[], byte[]>> records =
                toRecords(
                        2,
                        "{\"_raw\":\"garbage\",\"_key\":\"u\",\"_timestamp\":1}",
                        "{\"_rawBase64\":\"AAEC\",\"_partition\":1,\"_timestamp\":2}");

        assertThat(records.get(0).value()).isEqualTo("garbage".getBytes(StandardCharsets.UTF_8));
        assertThat(records.get(1).value()).containsExactly(0, 1, 2);
        assertThat(records.get(1).key()).isNull();
    }

    @Test
    void heartbeatWithoutPartitionGoesToEveryPartition() {
        List<ProducerRecord<byte[], byte[]>> records =
                toRecords(3, "{\"_type\":\"Heartbeat\",\"eventTime\":\"2026-11-01T11:00:00Z\"}");

        assertThat(records).extracting(ProducerRecord::partition).containsExactly(0, 1, 2);
        assertThat(records)
                .allSatisfy(
                        r -> {
                            assertThat(r.key()).isNull();
                            assertThat(SingleObjectCodec.fingerprintOf(r.value()))
                                    .isEqualTo(
                                            TidemarkSchemas.fingerprint(
                                                    Heartbeat.getClassSchema()));
                        });
    }

    @Test
    void typeOverrideEncodesAnotherRecordType() {
        String order =
                "{\"_type\":\"Order\",\"orderId\":\"o1\",\"customerId\":\"c1\","
                        + "\"eventTime\":\"2026-11-01T10:00:00Z\",\"currency\":\"EUR\",\"lines\":[]}";

        ProducerRecord<byte[], byte[]> record = toRecords(2, order).get(0);

        assertThat(AvroJson.toJson(record.value()).get("orderId").textValue()).isEqualTo("o1");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("o1");
    }
}
