package io.tidemark.common.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.ClickType;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.Heartbeat;
import io.tidemark.common.schemas.ReasonCode;
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
    void lineWithoutAnyTimeTakesTheTimestampOfTheNearestLineAboveWithOne() {
        String noTime =
                "{\"eventId\":\"e2\",\"userId\":\"u\",\"eventTime\":null,\"type\":\"PAGE_VIEW\"}";

        List<ProducerRecord<byte[], byte[]>> records =
                toRecords(
                        1,
                        String.format(CLICK, "a"),
                        "",
                        "{\"_raw\":\"garbage\",\"_key\":\"u\"}",
                        noTime,
                        "{\"_rawBase64\":\"AAEC\",\"_timestamp\":42}",
                        "{\"_raw\":\"after\"}");

        long tenOClock = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();
        assertThat(records)
                .extracting(ProducerRecord::timestamp)
                .containsExactly(tenOClock, tenOClock, tenOClock, 42L, 42L);
        assertThat(records.get(1).value()).isEqualTo("garbage".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void leadingLinesWithoutTimeTakeTheFirstTimeBelowAndAFileWithoutTimesGetsZero() {
        assertThat(toRecords(1, "{\"_raw\":\"x\"}", "{\"_raw\":\"y\",\"_timestamp\":7}"))
                .extracting(ProducerRecord::timestamp)
                .containsExactly(7L, 7L);
        assertThat(toRecords(1, "{\"_raw\":\"x\"}", "{\"_raw\":\"y\"}"))
                .extracting(ProducerRecord::timestamp)
                .containsExactly(0L, 0L);
    }

    @Test
    void nullInANonNullFieldIsABadLineWithItsLocationReasonAndBytes() {
        String nullUser = String.format(CLICK, "a").replace("\"a\"", "null");
        String notJson = "{\"eventId\":";

        JsonLinesLoader.Parsed parsed =
                JsonLinesLoader.parse(
                        List.of(String.format(CLICK, "a"), nullUser, "", notJson),
                        "test.jsonl",
                        "clicks",
                        "Click",
                        2);

        assertThat(parsed.records()).hasSize(1);
        assertThat(parsed.badLines()).hasSize(2);
        BadLine nullLine = parsed.badLines().get(0);
        assertThat(nullLine.message())
                .isEqualTo(
                        "test.jsonl:2: not a valid Click: $.userId: expected a string but got null");
        assertThat(nullLine.reason()).isEqualTo(ReasonCode.INVALID_FIELD);
        assertThat(nullLine.timestamp())
                .isEqualTo(Instant.parse("2026-11-01T10:00:00Z").toEpochMilli());
        assertThat(nullLine.eventTime()).isEqualTo(nullLine.timestamp());
        BadLine notJsonLine = parsed.badLines().get(1);
        assertThat(notJsonLine.location()).isEqualTo("test.jsonl:4");
        assertThat(notJsonLine.reason()).isEqualTo(ReasonCode.DESERIALIZATION_FAILED);
        assertThat(notJsonLine.message()).startsWith("test.jsonl:4: not valid JSON");

        ErrorEnvelope envelope = nullLine.envelope("clicks");
        assertThat(envelope.getValue().array())
                .isEqualTo(nullUser.getBytes(StandardCharsets.UTF_8));
        assertThat(envelope.getKey()).isNull();
        assertThat(envelope.getTopic()).isEqualTo("clicks");
        assertThat(envelope.getPartition()).isEqualTo(-1);
        assertThat(envelope.getOffset()).isEqualTo(-1L);
        assertThat(envelope.getReasonCode()).isEqualTo(ReasonCode.INVALID_FIELD);
        assertThat(envelope.getJob()).isEqualTo("load");
        assertThat(envelope.getMessage()).isEqualTo(nullLine.message());

        assertThatThrownBy(() -> toRecords(2, String.format(CLICK, "a"), nullUser, "", notJson))
                .hasMessage(nullLine.message());
    }

    @Test
    void badLinesExceptionNamesEveryBadLine() {
        List<BadLine> bad =
                JsonLinesLoader.parse(
                                List.of("x", String.format(CLICK, "a"), "y"),
                                "f.jsonl",
                                "clicks",
                                "Click",
                                1)
                        .badLines();

        assertThat(new JsonLinesLoader.BadLinesException(bad))
                .hasMessageStartingWith("f.jsonl:1: not valid JSON")
                .hasMessageContaining("\nf.jsonl:3: not valid JSON")
                .hasMessageEndingWith("\n2 bad lines");
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

    @Test
    void partitionsNeededIsTheLargestPartitionSetPlusOne() {
        String onTwo = String.format(CLICK, "a").replace("{", "{\"_partition\":2,");
        String onZero = String.format(CLICK, "a").replace("{", "{\"_partition\":0,");

        assertThat(
                        JsonLinesLoader.partitionsNeeded(
                                List.of(onZero, "", onTwo, "{not json", String.format(CLICK, "b"))))
                .hasValue(3);
        assertThat(JsonLinesLoader.partitionsNeeded(List.of(String.format(CLICK, "b")))).isEmpty();
    }
}
