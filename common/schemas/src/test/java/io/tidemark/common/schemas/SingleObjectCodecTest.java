package io.tidemark.common.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SingleObjectCodecTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final SingleObjectCodec<Click> clicks = SingleObjectCodec.of(Click.class);

    static Stream<SpecificRecord> oneRecordOfEveryType() {
        return Stream.of(
                click(),
                Click.newBuilder(click()).setPage(null).setProductId("p-1").build(),
                order(),
                ProductChange.newBuilder()
                        .setOp(ChangeOp.u)
                        .setBefore(product(1999))
                        .setAfter(product(2100))
                        .setTsMs(T0.toEpochMilli())
                        .build(),
                ProductChange.newBuilder()
                        .setOp(ChangeOp.d)
                        .setBefore(product(2100))
                        .setAfter(null)
                        .setTsMs(null)
                        .build(),
                CustomerChange.newBuilder()
                        .setOp(ChangeOp.c)
                        .setAfter(new Customer("k-1", "gold", "EU"))
                        .setTsMs(T0.toEpochMilli())
                        .build(),
                heartbeat(),
                UserSession.newBuilder()
                        .setSessionId("s-1")
                        .setUserId("u-1")
                        .setStart(T0)
                        .setEnd(T0.plusSeconds(600))
                        .setDurationMs(600_000L)
                        .setEvents(3)
                        .setPageViews(1)
                        .setProductViews(1)
                        .setAddToCarts(1)
                        .setCheckouts(0)
                        .setProducts(List.of("p-1", "p-2"))
                        .setConverted(false)
                        .build(),
                EnrichedOrder.newBuilder()
                        .setOrderId("o-1")
                        .setCustomerId("k-1")
                        .setEventTime(T0)
                        .setCurrency("EUR")
                        .setCustomerFound(true)
                        .setCustomerSegment("gold")
                        .setCustomerRegion("EU")
                        .setCustomerVersionTsMs(T0.toEpochMilli() - 1000)
                        .setLines(
                                List.of(
                                        EnrichedOrderLine.newBuilder()
                                                .setProductId("p-1")
                                                .setQuantity(2)
                                                .setUnitPriceMinor(1999)
                                                .setProductFound(true)
                                                .setProductName("The Book")
                                                .setCategory("books")
                                                .setListPriceMinor(2100L)
                                                .setProductVersionTsMs(T0.toEpochMilli() - 5000)
                                                .build(),
                                        EnrichedOrderLine.newBuilder()
                                                .setProductId("p-9")
                                                .setQuantity(1)
                                                .setUnitPriceMinor(500)
                                                .setProductFound(false)
                                                .build()))
                        .build(),
                RevenueAggregate.newBuilder()
                        .setWindowStart(T0)
                        .setWindowEnd(T0.plusSeconds(60))
                        .setCategory("books")
                        .setRegion("EU")
                        .setCurrency("EUR")
                        .setOrders(2)
                        .setUnits(3)
                        .setRevenueMinor(4498)
                        .build(),
                ErrorEnvelope.newBuilder()
                        .setKey(ByteBuffer.wrap("u-1".getBytes(StandardCharsets.UTF_8)))
                        .setValue(ByteBuffer.wrap(new byte[] {0, (byte) 0xC3, 1, (byte) 0xFF}))
                        .setTopic("clicks")
                        .setPartition(1)
                        .setOffset(42L)
                        .setReasonCode(ReasonCode.LATE)
                        .setMessage("late by 5000 ms")
                        .setJob("sessionization")
                        .setRecordTimestamp(T0)
                        .setEventTime(T0.minusSeconds(5))
                        .build());
    }

    @ParameterizedTest
    @MethodSource("oneRecordOfEveryType")
    <T extends SpecificRecord> void everyTypeRoundTripsThroughItsOwnCodec(T record) {
        @SuppressWarnings("unchecked")
        SingleObjectCodec<T> codec = SingleObjectCodec.of((Class<T>) record.getClass());

        Decoded<T> decoded = codec.decode(codec.encode(record));

        assertThat(decoded.kind()).isEqualTo(Decoded.Kind.RECORD);
        assertThat(decoded.isFailure()).isFalse();
        assertThat(decoded.record()).isEqualTo(record);
        assertThat(decoded.message()).isNull();
    }

    @ParameterizedTest
    @MethodSource("oneRecordOfEveryType")
    void encodedValueStartsWithMarkerAndWriterFingerprint(SpecificRecord record) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        byte[] bytes = SingleObjectCodec.of((Class) record.getClass()).encode(record);
        long fingerprint = TidemarkSchemas.fingerprint(record.getSchema());

        byte[] expectedHeader =
                ByteBuffer.allocate(10)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .put((byte) 0xC3)
                        .put((byte) 0x01)
                        .putLong(fingerprint)
                        .array();
        assertThat(Arrays.copyOf(bytes, 10)).isEqualTo(expectedHeader);
        assertThat(SingleObjectCodec.fingerprintOf(bytes)).isEqualTo(fingerprint);
        assertThat(TidemarkSchemas.byFingerprint(fingerprint)).contains(record.getSchema());
    }

    @Test
    void fingerprintOfIsZeroWithoutAValidHeader() {
        assertThat(SingleObjectCodec.fingerprintOf(null)).isZero();
        assertThat(SingleObjectCodec.fingerprintOf(new byte[0])).isZero();
        assertThat(SingleObjectCodec.fingerprintOf(new byte[] {(byte) 0xC3, 1, 1, 2})).isZero();
        assertThat(
                        SingleObjectCodec.fingerprintOf(
                                new byte[] {(byte) 0xC3, 2, 1, 2, 3, 4, 5, 6, 7, 8}))
                .isZero();
    }

    @Test
    void codecExposesItsTypeAndCurrentSchema() {
        assertThat(clicks.type()).isEqualTo(Click.class);
        assertThat(clicks.schema()).isEqualTo(Click.getClassSchema());
    }

    @Test
    void clickWrittenWithHistoricalV0SchemaDecodesAsCurrentClickWithoutPage() throws IOException {
        Schema v0 = historicalSchema("history/Click/v0.avsc");
        assertThat(v0.getField("page")).isNull();
        GenericRecord old = new GenericData.Record(v0);
        old.put("eventId", "c-old");
        old.put("userId", "u-1");
        old.put("eventTime", T0.toEpochMilli());
        old.put("type", new GenericData.EnumSymbol(v0.getField("type").schema(), "PRODUCT_VIEW"));
        old.put("productId", "p-7");

        byte[] bytes = SingleObjectCodec.encodeGeneric(old, v0);
        Decoded<Click> decoded = clicks.decode(bytes);

        assertThat(SingleObjectCodec.fingerprintOf(bytes))
                .isEqualTo(TidemarkSchemas.fingerprint(v0))
                .isNotEqualTo(TidemarkSchemas.fingerprint(Click.getClassSchema()));
        assertThat(decoded.kind()).isEqualTo(Decoded.Kind.RECORD);
        assertThat(decoded.record())
                .isEqualTo(
                        Click.newBuilder()
                                .setEventId("c-old")
                                .setUserId("u-1")
                                .setEventTime(T0)
                                .setType(ClickType.PRODUCT_VIEW)
                                .setPage(null)
                                .setProductId("p-7")
                                .build());
        assertThat(decoded.record().getPage()).isNull();
    }

    @Test
    void registryListsClickV0AsHistoryAndKnowsItsFingerprint() throws IOException {
        Schema v0 = historicalSchema("history/Click/v0.avsc");

        assertThat(TidemarkSchemas.history("Click")).containsExactly(v0);
        assertThat(TidemarkSchemas.history("Order")).isEmpty();
        assertThat(TidemarkSchemas.byFingerprint(TidemarkSchemas.fingerprint(v0))).contains(v0);
    }

    @Test
    void heartbeatThroughClickCodecDecodesAsHeartbeat() {
        byte[] bytes = SingleObjectCodec.of(Heartbeat.class).encode(heartbeat());

        Decoded<Click> decoded = clicks.decode(bytes);

        assertThat(decoded.kind()).isEqualTo(Decoded.Kind.HEARTBEAT);
        assertThat(decoded.isFailure()).isFalse();
        assertThat(decoded.heartbeat()).isEqualTo(heartbeat());
        assertThat(decoded.record()).isNull();
        assertThatThrownBy(decoded::reason).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void heartbeatThroughHeartbeatCodecIsTheRecordItself() {
        SingleObjectCodec<Heartbeat> heartbeats = SingleObjectCodec.of(Heartbeat.class);

        Decoded<Heartbeat> decoded = heartbeats.decode(heartbeats.encode(heartbeat()));

        assertThat(decoded.kind()).isEqualTo(Decoded.Kind.RECORD);
        assertThat(decoded.record()).isEqualTo(heartbeat());
    }

    @Test
    void orderThroughClickCodecIsSchemaMismatchNamingBothTypes() {
        byte[] bytes = SingleObjectCodec.of(Order.class).encode(order());

        Decoded<Click> decoded = clicks.decode(bytes);

        assertThat(decoded.kind()).isEqualTo(Decoded.Kind.SCHEMA_MISMATCH);
        assertThat(decoded.isFailure()).isTrue();
        assertThat(decoded.reason()).isEqualTo(ReasonCode.SCHEMA_MISMATCH);
        assertThat(decoded.message()).contains("Click").contains("Order");
        assertThat(decoded.record()).isNull();
        assertThat(decoded.heartbeat()).isNull();
    }

    @Test
    void unknownFingerprintIsSchemaMismatch() {
        byte[] bytes = clicks.encode(click());
        long unknown = 0x0123456789ABCDEFL;
        assertThat(TidemarkSchemas.byFingerprint(unknown)).isEmpty();
        ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(unknown);

        Decoded<Click> decoded = clicks.decode(bytes);

        assertThat(decoded.kind()).isEqualTo(Decoded.Kind.SCHEMA_MISMATCH);
        assertThat(decoded.reason()).isEqualTo(ReasonCode.SCHEMA_MISMATCH);
        assertThat(decoded.message()).contains("Click").contains("unknown schema");
    }

    @Test
    void plainTextIsDeserializationFailure() {
        byte[] json = "{\"eventId\":\"c-1\",\"userId\":\"u-1\"}".getBytes(StandardCharsets.UTF_8);

        assertDeserializationFailure(clicks.decode(json));
    }

    @Test
    void emptyAndNullValuesAreDeserializationFailures() {
        assertDeserializationFailure(clicks.decode(new byte[0]));
        assertDeserializationFailure(clicks.decode(null));
    }

    @Test
    void headerWithoutBodyIsDeserializationFailure() {
        byte[] headerOnly = Arrays.copyOf(clicks.encode(click()), 10);

        assertDeserializationFailure(clicks.decode(headerOnly));
    }

    @Test
    void everyTruncationOfAValidValueIsDeserializationFailure() {
        byte[] bytes = clicks.encode(click());

        for (int length = 1; length < bytes.length; length++) {
            assertDeserializationFailure(clicks.decode(Arrays.copyOf(bytes, length)));
        }
    }

    @Test
    void truncatedHeartbeatIsDeserializationFailure() {
        byte[] bytes = SingleObjectCodec.of(Heartbeat.class).encode(heartbeat());

        assertDeserializationFailure(clicks.decode(Arrays.copyOf(bytes, bytes.length - 1)));
    }

    @Test
    void hugeDeclaredStringLengthIsDeserializationFailureNotAnAllocation() {
        byte[] header = Arrays.copyOf(clicks.encode(click()), 10);
        // eventId length 2_000_000_000 (zig-zag varint), followed by no bytes at all.
        byte[] value = concat(header, varint(2_000_000_000L), new byte[] {'c'});

        assertDeserializationFailure(clicks.decode(value));
    }

    @Test
    void hugeDeclaredArrayLengthIsDeserializationFailureNotAnAllocation() {
        SingleObjectCodec<Order> orders = SingleObjectCodec.of(Order.class);
        byte[] bytes = orders.encode(Order.newBuilder(order()).setLines(List.of()).build());
        // Replace the empty array's terminating 0 with a block of 2_000_000_000 lines.
        byte[] value = concat(Arrays.copyOf(bytes, bytes.length - 1), varint(2_000_000_000L));

        assertDeserializationFailure(orders.decode(value));
    }

    @Test
    void trailingBytesAfterTheBodyAreDeserializationFailure() {
        byte[] value = concat(clicks.encode(click()), new byte[] {0, 0});

        assertDeserializationFailure(clicks.decode(value));
    }

    @Test
    void decodingSeededRandomBytesNeverThrows() {
        Random random = new Random(20261101L);
        byte[] clickHeader = Arrays.copyOf(clicks.encode(click()), 10);
        byte[] orderHeader = Arrays.copyOf(SingleObjectCodec.of(Order.class).encode(order()), 10);
        byte[] heartbeatHeader =
                Arrays.copyOf(SingleObjectCodec.of(Heartbeat.class).encode(heartbeat()), 10);
        List<byte[]> headers =
                List.of(new byte[0], new byte[] {(byte) 0xC3, 1}, clickHeader, heartbeatHeader);
        SingleObjectCodec<Order> orders = SingleObjectCodec.of(Order.class);

        for (int i = 0; i < 600; i++) {
            byte[] prefix = i % 6 == 5 ? orderHeader : headers.get(i % headers.size());
            byte[] body = new byte[random.nextInt(64)];
            random.nextBytes(body);
            byte[] value = Arrays.copyOf(prefix, prefix.length + body.length);
            System.arraycopy(body, 0, value, prefix.length, body.length);

            for (SingleObjectCodec<?> codec : List.of(clicks, orders)) {
                Decoded<?>[] result = new Decoded<?>[1];
                assertThatCode(() -> result[0] = codec.decode(value))
                        .as("decode %s", Arrays.toString(value))
                        .doesNotThrowAnyException();
                assertThat(result[0]).isNotNull();
                if (result[0].isFailure()) {
                    assertThat(result[0].message()).isNotBlank();
                    assertThat(result[0].reason())
                            .isIn(ReasonCode.DESERIALIZATION_FAILED, ReasonCode.SCHEMA_MISMATCH);
                }
            }
        }
    }

    @Test
    void decodingSeededRandomMutationsOfValidValuesNeverThrows() {
        Random random = new Random(7L);
        SingleObjectCodec<Order> orders = SingleObjectCodec.of(Order.class);
        List<byte[]> valid = List.of(clicks.encode(click()), orders.encode(order()));

        for (int i = 0; i < 400; i++) {
            byte[] value = valid.get(i % 2).clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                int at = 10 + random.nextInt(value.length - 10);
                value[at] = (byte) random.nextInt(256);
            }
            byte[] mutated = value;

            for (SingleObjectCodec<?> codec : List.of(clicks, orders)) {
                assertThatCode(() -> codec.decode(mutated))
                        .as("decode %s", Arrays.toString(mutated))
                        .doesNotThrowAnyException();
            }
        }
    }

    @Test
    void decodeGenericReadsAnyKnownTypeInItsWriterSchema() {
        GenericRecord generic =
                SingleObjectCodec.decodeGeneric(SingleObjectCodec.of(Order.class).encode(order()));

        assertThat(generic.getSchema()).isEqualTo(Order.getClassSchema());
        assertThat(generic.get("orderId").toString()).isEqualTo("o-1");
        assertThat(generic.get("eventTime")).isEqualTo(T0.toEpochMilli());
    }

    @Test
    void decodeGenericRejectsUnknownHeaderAndCorruptBody() {
        byte[] bytes = clicks.encode(click());

        assertThatThrownBy(
                        () -> SingleObjectCodec.decodeGeneric("x".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no known schema");
        assertThatThrownBy(() -> SingleObjectCodec.decodeGeneric(Arrays.copyOf(bytes, 12)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt Click");
    }

    private static byte[] varint(long value) {
        long zigZag = (value << 1) ^ (value >> 63);
        ByteBuffer out = ByteBuffer.allocate(10);
        while ((zigZag & ~0x7FL) != 0) {
            out.put((byte) ((zigZag & 0x7F) | 0x80));
            zigZag >>>= 7;
        }
        out.put((byte) zigZag);
        return Arrays.copyOf(out.array(), out.position());
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            out.put(part);
        }
        return out.array();
    }

    private static void assertDeserializationFailure(Decoded<?> decoded) {
        assertThat(decoded.kind()).isEqualTo(Decoded.Kind.DESERIALIZATION_FAILED);
        assertThat(decoded.isFailure()).isTrue();
        assertThat(decoded.reason()).isEqualTo(ReasonCode.DESERIALIZATION_FAILED);
        assertThat(decoded.message()).isNotBlank();
        assertThat(decoded.record()).isNull();
    }

    private static Schema historicalSchema(String resource) throws IOException {
        try (InputStream in =
                SingleObjectCodecTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new Schema.Parser().parse(in);
        }
    }

    private static Click click() {
        return Click.newBuilder()
                .setEventId("c-1")
                .setUserId("u-1")
                .setEventTime(T0)
                .setType(ClickType.PAGE_VIEW)
                .setPage("/home")
                .setProductId(null)
                .build();
    }

    private static Order order() {
        return Order.newBuilder()
                .setOrderId("o-1")
                .setCustomerId("k-1")
                .setEventTime(T0)
                .setCurrency("EUR")
                .setLines(List.of(new OrderLine("p-1", 2, 1999L), new OrderLine("p-2", 1, 500L)))
                .build();
    }

    private static Product product(long listPriceMinor) {
        return new Product("p-1", "The Book", "books", listPriceMinor);
    }

    private static Heartbeat heartbeat() {
        return new Heartbeat(Instant.parse("2026-11-01T12:00:00Z"));
    }
}
