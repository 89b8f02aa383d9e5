package io.tidemark.common.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvroJsonTest {

    private static final String CLICK =
            "{\"eventId\":\"c-1\",\"userId\":\"u-1\",\"eventTime\":\"2026-11-01T10:00:00.000Z\","
                    + "\"type\":\"PAGE_VIEW\",\"page\":\"/home\",\"productId\":null}";
    private static final String ORDER =
            "{\"orderId\":\"o-1\",\"customerId\":\"k-1\",\"eventTime\":\"2026-11-01T10:00:00.000Z\","
                    + "\"currency\":\"EUR\","
                    + "\"lines\":[{\"productId\":\"p-1\",\"quantity\":2,\"unitPriceMinor\":1999}]}";
    private static final String PRODUCT_CHANGE =
            "{\"op\":\"u\","
                    + "\"before\":{\"productId\":\"p-1\",\"name\":\"Tides of Flink\","
                    + "\"category\":\"books\",\"listPriceMinor\":1999},"
                    + "\"after\":{\"productId\":\"p-1\",\"name\":\"Tides of Flink\","
                    + "\"category\":\"books\",\"listPriceMinor\":2100},"
                    + "\"ts_ms\":1793523600000}";
    private static final String CUSTOMER_CHANGE =
            "{\"op\":\"c\",\"before\":null,"
                    + "\"after\":{\"customerId\":\"k-1\",\"segment\":\"gold\",\"region\":\"EU\"},"
                    + "\"ts_ms\":1793523600000}";
    private static final String HEARTBEAT = "{\"eventTime\":\"2026-11-01T12:00:00.000Z\"}";
    private static final String ERROR_ENVELOPE =
            "{\"key\":\"dS0x\",\"value\":\"bm90IGF2cm8=\",\"topic\":\"clicks\",\"partition\":1,"
                    + "\"offset\":42,\"reasonCode\":\"DESERIALIZATION_FAILED\","
                    + "\"message\":\"not Avro single-object encoded\",\"job\":\"sessionization\","
                    + "\"recordTimestamp\":\"2026-11-01T10:00:00.000Z\",\"eventTime\":null}";
    private static final String USER_SESSION =
            "{\"sessionId\":\"s-1\",\"userId\":\"u-1\",\"start\":\"2026-11-01T10:00:00.000Z\","
                    + "\"end\":\"2026-11-01T10:10:00.000Z\",\"durationMs\":600000,\"events\":3,"
                    + "\"pageViews\":1,\"productViews\":1,\"addToCarts\":1,\"checkouts\":0,"
                    + "\"products\":[\"p-1\",\"p-2\"],\"converted\":false}";
    private static final String ENRICHED_ORDER =
            "{\"orderId\":\"o-1\",\"customerId\":\"k-1\",\"eventTime\":\"2026-11-01T10:00:00.000Z\","
                    + "\"currency\":\"EUR\",\"customerFound\":false,\"customerSegment\":null,"
                    + "\"customerRegion\":null,\"customerVersionTsMs\":null,"
                    + "\"lines\":[{\"productId\":\"p-1\",\"quantity\":2,\"unitPriceMinor\":1999,"
                    + "\"productFound\":true,\"productName\":\"Tides of Flink\","
                    + "\"category\":\"books\",\"listPriceMinor\":2100,"
                    + "\"productVersionTsMs\":1793523600000}]}";
    private static final String REVENUE_AGGREGATE =
            "{\"windowStart\":\"2026-11-01T10:00:00.000Z\",\"windowEnd\":\"2026-11-01T10:01:00.000Z\","
                    + "\"category\":\"books\",\"region\":\"EU\",\"currency\":\"EUR\","
                    + "\"orders\":1,\"units\":2,\"revenueMinor\":3998}";

    static Stream<Arguments> documentedExamples() {
        return Stream.of(
                Arguments.of("Click", CLICK),
                Arguments.of("Order", ORDER),
                Arguments.of("ProductChange", PRODUCT_CHANGE),
                Arguments.of("CustomerChange", CUSTOMER_CHANGE),
                Arguments.of("Heartbeat", HEARTBEAT),
                Arguments.of("ErrorEnvelope", ERROR_ENVELOPE),
                Arguments.of("UserSession", USER_SESSION),
                Arguments.of("EnrichedOrder", ENRICHED_ORDER),
                Arguments.of("RevenueAggregate", REVENUE_AGGREGATE));
    }

    @Test
    void everyRegisteredTypeHasADocumentedExample() {
        assertThat(documentedExamples().map(a -> (String) a.get()[0]))
                .containsExactlyInAnyOrderElementsOf(TidemarkSchemas.typeNames());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedExamples")
    void documentedExampleRoundTripsThroughSingleObjectBytesToTheSameCanonicalJson(
            String type, String json) throws Exception {
        Schema schema = TidemarkSchemas.schema(type);

        GenericRecord record = AvroJson.fromJson(json, schema);
        byte[] bytes = SingleObjectCodec.encodeGeneric(record, schema);
        ObjectNode back = AvroJson.toJson(bytes);

        assertThat(AvroJson.canonical(back))
                .isEqualTo(AvroJson.canonical(AvroJson.MAPPER.readTree(json)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedExamples")
    void documentedExampleDecodesThroughTheTypedCodecAndWritesBackTheSameJson(
            String type, String json) throws Exception {
        Schema schema = TidemarkSchemas.schema(type);
        SingleObjectCodec<?> codec = SingleObjectCodec.of(TidemarkSchemas.recordClass(type));

        Decoded<?> decoded =
                codec.decode(
                        SingleObjectCodec.encodeGeneric(AvroJson.fromJson(json, schema), schema));

        assertThat(decoded.kind()).isEqualTo(Decoded.Kind.RECORD);
        assertThat(AvroJson.canonical(AvroJson.toJson((GenericRecord) decoded.record())))
                .isEqualTo(AvroJson.canonical(AvroJson.MAPPER.readTree(json)));
    }

    @Test
    void clickExampleReadsIntoTheTypedValues() {
        Click click = decodeAs(Click.class, CLICK);

        assertThat(click)
                .isEqualTo(
                        Click.newBuilder()
                                .setEventId("c-1")
                                .setUserId("u-1")
                                .setEventTime(Instant.parse("2026-11-01T10:00:00Z"))
                                .setType(ClickType.PAGE_VIEW)
                                .setPage("/home")
                                .setProductId(null)
                                .build());
    }

    @Test
    void cdcTsMsIsAPlainEpochMillisNumber() {
        ProductChange change = decodeAs(ProductChange.class, PRODUCT_CHANGE);

        assertThat(change.getOp()).isEqualTo(ChangeOp.u);
        assertThat(change.getTsMs()).isEqualTo(1793523600000L);
        assertThat(change.getAfter().getListPriceMinor()).isEqualTo(2100L);
        assertThat(
                        AvroJson.toJson(
                                        AvroJson.fromJson(
                                                PRODUCT_CHANGE, ProductChange.getClassSchema()))
                                .get("ts_ms")
                                .isIntegralNumber())
                .isTrue();
    }

    @Test
    void cdcTsMsAsTextIsRejected() {
        String json = PRODUCT_CHANGE.replace("1793523600000", "\"2026-11-01T09:00:00.000Z\"");

        assertThatThrownBy(() -> AvroJson.fromJson(json, ProductChange.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("$.ts_ms: expected a 64-bit integer");
    }

    @Test
    void bytesAreBase64() {
        ErrorEnvelope envelope = decodeAs(ErrorEnvelope.class, ERROR_ENVELOPE);

        assertThat(envelope.getKey())
                .isEqualTo(ByteBuffer.wrap("u-1".getBytes(StandardCharsets.UTF_8)));
        assertThat(envelope.getValue())
                .isEqualTo(ByteBuffer.wrap("not avro".getBytes(StandardCharsets.UTF_8)));
        assertThat(envelope.getReasonCode()).isEqualTo(ReasonCode.DESERIALIZATION_FAILED);
    }

    @Test
    void bytesThatAreNotBase64AreRejectedWithTheirPath() {
        String json = ERROR_ENVELOPE.replace("dS0x", "not base64!");

        assertThatThrownBy(() -> AvroJson.fromJson(json, ErrorEnvelope.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("$.key: expected base64 text");
    }

    @Test
    void timestampsAreAlwaysWrittenWithMillisecondsInUtc() {
        String withoutMillis = CLICK.replace("2026-11-01T10:00:00.000Z", "2026-11-01T10:00:00Z");
        String withOffset =
                CLICK.replace("2026-11-01T10:00:00.000Z", "2026-11-01T11:00:00.000+01:00");

        for (String json : List.of(withoutMillis, withOffset)) {
            ObjectNode written = AvroJson.toJson(AvroJson.fromJson(json, Click.getClassSchema()));

            assertThat(written.get("eventTime").textValue()).isEqualTo("2026-11-01T10:00:00.000Z");
        }
        assertThat(AvroJson.formatInstant(1793527200123L)).isEqualTo("2026-11-01T10:00:00.123Z");
        assertThat(AvroJson.formatInstant(0L)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(AvroJson.parseInstant("2026-11-01T10:00:00.123Z")).isEqualTo(1793527200123L);
    }

    @Test
    void timestampAsNumberIsRejectedWithItsPath() {
        String json = CLICK.replace("\"2026-11-01T10:00:00.000Z\"", "1793527200000");

        assertThatThrownBy(() -> AvroJson.fromJson(json, Click.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("$.eventTime: expected an ISO-8601 UTC instant");
    }

    @Test
    void timestampThatIsNotAnInstantIsRejectedWithItsPath() {
        String json = CLICK.replace("2026-11-01T10:00:00.000Z", "2026-11-01 10:00");

        assertThatThrownBy(() -> AvroJson.fromJson(json, Click.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("$.eventTime: expected an ISO-8601 UTC instant");
    }

    @Test
    void missingNullableFieldsReadAsNullAndAreWrittenAsNull() {
        String json =
                "{\"eventId\":\"c-2\",\"userId\":\"u-1\",\"eventTime\":\"2026-11-01T10:00:00.000Z\","
                        + "\"type\":\"ADD_TO_CART\"}";

        GenericRecord record = AvroJson.fromJson(json, Click.getClassSchema());
        ObjectNode written = AvroJson.toJson(record);

        assertThat(record.get("page")).isNull();
        assertThat(record.get("productId")).isNull();
        assertThat(written.has("page")).isTrue();
        assertThat(written.get("page").isNull()).isTrue();
        assertThat(written.get("productId").isNull()).isTrue();
    }

    @Test
    void missingEventTimeReadsAsNullSoTheRecordCanReachTheDlq() {
        String json = "{\"eventId\":\"c-3\",\"userId\":\"u-1\",\"type\":\"CHECKOUT\"}";

        Click click = decodeAs(Click.class, json);

        assertThat(click.getEventTime()).isNull();
    }

    @Test
    void missingRequiredFieldIsRejectedWithItsPath() {
        String json = "{\"eventId\":\"c-4\",\"eventTime\":null,\"type\":\"CHECKOUT\"}";

        assertThatThrownBy(() -> AvroJson.fromJson(json, Click.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("$.userId: required field is missing");
    }

    @Test
    void nullForARequiredFieldIsRejectedWithItsPath() {
        String json = CLICK.replace("\"userId\":\"u-1\"", "\"userId\":null");

        assertThatThrownBy(() -> AvroJson.fromJson(json, Click.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("$.userId: expected a string but got null");
    }

    @Test
    void unknownFieldIsRejectedNamingTheFieldAndTheKnownFields() {
        String json = CLICK.replace("\"page\"", "\"pageUrl\"");

        assertThatThrownBy(() -> AvroJson.fromJson(json, Click.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.pageUrl: unknown field for Click")
                .hasMessageContaining(
                        "known fields: [eventId, userId, eventTime, type, page, productId]");
    }

    @Test
    void wrongTypeIsRejectedNamingTheFullPath() {
        String json = ORDER.replace("\"quantity\":2", "\"quantity\":\"two\"");

        assertThatThrownBy(() -> AvroJson.fromJson(json, Order.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("$.lines[0].quantity: expected a 32-bit integer but got \"two\"");
    }

    @Test
    void fractionalOrOversizedIntegersAreRejected() {
        String fractional = ORDER.replace("\"quantity\":2", "\"quantity\":2.5");
        String oversized = ORDER.replace("\"quantity\":2", "\"quantity\":3000000000");

        for (String json : List.of(fractional, oversized)) {
            assertThatThrownBy(() -> AvroJson.fromJson(json, Order.getClassSchema()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("$.lines[0].quantity: expected a 32-bit integer");
        }
    }

    @Test
    void unknownEnumSymbolIsRejectedListingTheSymbols() {
        String json = CLICK.replace("PAGE_VIEW", "SCROLL");

        assertThatThrownBy(() -> AvroJson.fromJson(json, Click.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "$.type: expected one of [PAGE_VIEW, PRODUCT_VIEW, ADD_TO_CART, CHECKOUT]"
                                + " but got \"SCROLL\"");
    }

    @Test
    void nestedRecordErrorsNameTheNestedPath() {
        String json = PRODUCT_CHANGE.replace("\"listPriceMinor\":2100", "\"listPriceMinor\":null");

        assertThatThrownBy(() -> AvroJson.fromJson(json, ProductChange.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("$.after.listPriceMinor: expected a 64-bit integer but got null");
    }

    @Test
    void topLevelControlFieldsAreIgnored() {
        String json =
                "{\"_partition\":1,\"_key\":null,\"_timestamp\":\"2026-11-01T10:00:05Z\","
                        + CLICK.substring(1);

        GenericRecord record = AvroJson.fromJson(json, Click.getClassSchema());

        assertThat(AvroJson.canonical(AvroJson.toJson(record)))
                .isEqualTo(
                        AvroJson.canonical(
                                AvroJson.toJson(AvroJson.fromJson(CLICK, Click.getClassSchema()))));
    }

    @Test
    void controlFieldsInsideNestedRecordsAreUnknownFields() {
        String inLine =
                ORDER.replace("{\"productId\":\"p-1\"", "{\"_partition\":0,\"productId\":\"p-1\"");
        String inAfter =
                CUSTOMER_CHANGE.replace("{\"customerId\"", "{\"_key\":\"k-1\",\"customerId\"");

        assertThatThrownBy(() -> AvroJson.fromJson(inLine, Order.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.lines[0]._partition: unknown field for OrderLine");
        assertThatThrownBy(() -> AvroJson.fromJson(inAfter, CustomerChange.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.after._key: unknown field for Customer");
    }

    @Test
    void somethingOtherThanAnObjectIsRejected() {
        for (String json : List.of("[]", "null", "\"c-1\"", "")) {
            assertThatThrownBy(() -> AvroJson.fromJson(json, Click.getClassSchema()))
                    .as(json)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("$: expected an object (Click)");
        }
    }

    @Test
    void invalidJsonIsRejected() {
        assertThatThrownBy(() -> AvroJson.fromJson("{\"eventId\":", Click.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not valid JSON");
    }

    @Test
    void moreThanOneJsonValueOnALineIsRejected() {
        assertThatThrownBy(() -> AvroJson.fromJson(CLICK + " " + CLICK, Click.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not valid JSON");
    }

    @Test
    void duplicateKeysAreRejected() {
        String json = CLICK.replace("\"userId\":\"u-1\"", "\"userId\":\"u-1\",\"userId\":\"u-2\"");

        assertThatThrownBy(() -> AvroJson.fromJson(json, Click.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not valid JSON")
                .hasMessageContaining("userId");
    }

    @Test
    void canonicalFormSortsKeysAtEveryLevelWithoutWhitespace() throws Exception {
        JsonNode node =
                AvroJson.MAPPER.readTree(
                        "{ \"b\": {\"d\": 1, \"c\": [ {\"z\": true, \"y\": null} ]}, \"a\": \"x\" }");

        assertThat(AvroJson.canonical(node))
                .isEqualTo("{\"a\":\"x\",\"b\":{\"c\":[{\"y\":null,\"z\":true}],\"d\":1}}");
    }

    @Test
    void canonicalFormIsStableAndKeepsArrayOrder() throws Exception {
        String once =
                AvroJson.canonical(AvroJson.MAPPER.readTree(ORDER.replace("[{", "[{\"x\":1},{")));

        assertThat(AvroJson.canonical(AvroJson.MAPPER.readTree(once))).isEqualTo(once);
        assertThat(once).contains("\"lines\":[{\"x\":1},{\"productId\":\"p-1\"");
    }

    @Test
    void canonicalFormOfEqualRecordsIsEqualWhateverTheInputKeyOrder() throws Exception {
        String reordered =
                "{\"productId\":null,\"page\":\"/home\",\"type\":\"PAGE_VIEW\","
                        + "\"eventTime\":\"2026-11-01T10:00:00Z\",\"userId\":\"u-1\",\"eventId\":\"c-1\"}";

        assertThat(
                        AvroJson.canonical(
                                AvroJson.toJson(
                                        AvroJson.fromJson(reordered, Click.getClassSchema()))))
                .isEqualTo(AvroJson.canonical(AvroJson.MAPPER.readTree(CLICK)))
                .isEqualTo(
                        "{\"eventId\":\"c-1\",\"eventTime\":\"2026-11-01T10:00:00.000Z\","
                                + "\"page\":\"/home\",\"productId\":null,\"type\":\"PAGE_VIEW\","
                                + "\"userId\":\"u-1\"}");
    }

    @Test
    void typedRecordsWriteTheSameJsonAsGenericOnes() {
        Click click = decodeAs(Click.class, CLICK);

        assertThat(AvroJson.canonical(AvroJson.toJson(click)))
                .isEqualTo(
                        AvroJson.canonical(
                                AvroJson.toJson(AvroJson.fromJson(CLICK, Click.getClassSchema()))));
    }

    @Test
    void clickWrittenWithV0SchemaIsWrittenAsJsonInItsWriterSchema() {
        Schema v0 = TidemarkSchemas.history("Click").get(0);
        String json =
                "{\"eventId\":\"c-old\",\"userId\":\"u-1\",\"eventTime\":\"2026-11-01T10:00:00.000Z\","
                        + "\"type\":\"PAGE_VIEW\",\"productId\":null}";

        byte[] bytes = SingleObjectCodec.encodeGeneric(AvroJson.fromJson(json, v0), v0);

        assertThat(AvroJson.canonical(AvroJson.toJson(bytes)))
                .isEqualTo(
                        "{\"eventId\":\"c-old\",\"eventTime\":\"2026-11-01T10:00:00.000Z\","
                                + "\"productId\":null,\"type\":\"PAGE_VIEW\",\"userId\":\"u-1\"}");
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> T decodeAs(
            Class<T> type, String json) {
        SingleObjectCodec<T> codec = SingleObjectCodec.of(type);
        Decoded<T> decoded =
                codec.decode(
                        SingleObjectCodec.encodeGeneric(
                                AvroJson.fromJson(json, codec.schema()), codec.schema()));
        assertThat(decoded.kind()).as(decoded.message()).isEqualTo(Decoded.Kind.RECORD);
        return decoded.record();
    }
}
