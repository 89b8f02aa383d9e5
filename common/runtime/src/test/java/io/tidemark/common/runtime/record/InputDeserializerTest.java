package io.tidemark.common.runtime.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.Heartbeat;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class InputDeserializerTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final byte[] KEY = "u-1".getBytes(StandardCharsets.UTF_8);

    private final InputDeserializer<Click> deserializer =
            new InputDeserializer<>(new TestClicks(), ValidationSettings.defaults());

    private static byte[] encode(Click click) {
        return SingleObjectCodec.of(Click.class).encode(click);
    }

    private InputRecord<Click> classify(byte[] key, byte[] value, long timestamp) {
        return deserializer.classify(
                new ConsumerRecord<>(
                        "clicks",
                        1,
                        42L,
                        timestamp,
                        org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                        0,
                        0,
                        key,
                        value,
                        new org.apache.kafka.common.header.internals.RecordHeaders(),
                        java.util.Optional.empty()));
    }

    @Test
    void validRecordKeepsItsCoordinatesAndEventTime() {
        InputRecord<Click> r =
                classify(KEY, encode(TestClicks.click("c-1", T0)), T0.toEpochMilli());

        assertThat(r.kind).isEqualTo(RecordKind.DATA);
        assertThat(r.payload.getEventId()).isEqualTo("c-1");
        assertThat(r.eventTime).isEqualTo(T0.toEpochMilli());
        assertThat(r.coordinates()).isEqualTo("clicks/1/42");
        assertThat(r.recordTimestamp).isEqualTo(T0.toEpochMilli());
    }

    @Test
    void garbageIsDeserializationFailed() {
        InputRecord<Click> r =
                classify(KEY, "{not avro".getBytes(StandardCharsets.UTF_8), T0.toEpochMilli());
        assertThat(r.kind).isEqualTo(RecordKind.BAD);
        assertThat(r.reason).isEqualTo(ReasonCode.DESERIALIZATION_FAILED);
        assertThat(r.value).isEqualTo("{not avro".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void otherTypeIsSchemaMismatch() {
        Order order =
                Order.newBuilder()
                        .setOrderId("o-1")
                        .setCustomerId("k-1")
                        .setEventTime(T0)
                        .setCurrency("EUR")
                        .setLines(List.of())
                        .build();
        InputRecord<Click> r =
                classify(KEY, SingleObjectCodec.of(Order.class).encode(order), T0.toEpochMilli());
        assertThat(r.reason).isEqualTo(ReasonCode.SCHEMA_MISMATCH);
        assertThat(r.message).contains("Order");
    }

    @Test
    void nullOrEmptyKeyIsMissingKey() {
        assertThat(classify(null, encode(TestClicks.click("c-1", T0)), T0.toEpochMilli()).reason)
                .isEqualTo(ReasonCode.MISSING_KEY);
        assertThat(
                        classify(
                                        new byte[0],
                                        encode(TestClicks.click("c-1", T0)),
                                        T0.toEpochMilli())
                                .reason)
                .isEqualTo(ReasonCode.MISSING_KEY);
    }

    @Test
    void missingEventTimeIsMissingEventTime() {
        assertThat(classify(KEY, encode(TestClicks.click("c-1", null)), T0.toEpochMilli()).reason)
                .isEqualTo(ReasonCode.MISSING_EVENT_TIME);
    }

    @Test
    void eventTimeTooFarAheadOfRecordTimestampIsSkew() {
        long recordTs = T0.toEpochMilli();
        assertThat(
                        classify(
                                        KEY,
                                        encode(TestClicks.click("c-1", T0.plusSeconds(3600))),
                                        recordTs)
                                .kind)
                .isEqualTo(RecordKind.DATA);
        InputRecord<Click> r =
                classify(
                        KEY,
                        encode(TestClicks.click("c-1", T0.plusSeconds(3600).plusMillis(1))),
                        recordTs);
        assertThat(r.reason).isEqualTo(ReasonCode.EVENT_TIME_SKEW);
        assertThat(r.message).contains("validation.max-skew-ahead");
    }

    @Test
    void skewBehindIsCheckedOnlyWhenConfigured() {
        InputDeserializer<Click> strict =
                new InputDeserializer<>(
                        new TestClicks(), new ValidationSettings(3_600_000, 60_000));
        ConsumerRecord<byte[], byte[]> old =
                new ConsumerRecord<>(
                        "clicks", 0, 0L, KEY, encode(TestClicks.click("c-1", T0.minusSeconds(61))));
        ConsumerRecord<byte[], byte[]> stamped =
                new ConsumerRecord<>(
                        "clicks",
                        0,
                        0L,
                        T0.toEpochMilli(),
                        org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                        0,
                        0,
                        KEY,
                        encode(TestClicks.click("c-1", T0.minusSeconds(61))),
                        new org.apache.kafka.common.header.internals.RecordHeaders(),
                        java.util.Optional.empty());
        assertThat(strict.classify(stamped).reason).isEqualTo(ReasonCode.EVENT_TIME_SKEW);
        assertThat(strict.classify(old).kind)
                .as("a record without timestamp cannot be skewed")
                .isEqualTo(RecordKind.DATA);
        assertThat(
                        classify(
                                        KEY,
                                        encode(TestClicks.click("c-1", T0.minusSeconds(86_400))),
                                        T0.toEpochMilli())
                                .kind)
                .isEqualTo(RecordKind.DATA);
    }

    @Test
    void jobValidationFailureIsInvalidField() {
        InputRecord<Click> r = classify(KEY, encode(TestClicks.click("", T0)), T0.toEpochMilli());
        assertThat(r.reason).isEqualTo(ReasonCode.INVALID_FIELD);
        assertThat(r.message).isEqualTo("eventId is empty");
    }

    @Test
    void specRejectionKeepsItsOwnReasonCode() {
        RecordSpec<Click> amounts =
                new RecordSpec<>() {
                    @Override
                    public Class<Click> type() {
                        return Click.class;
                    }

                    @Override
                    public Long eventTime(Click click) {
                        return click.getEventTime().toEpochMilli();
                    }

                    @Override
                    public Rejection rejection(Click click) {
                        return click.getEventId().startsWith("big")
                                ? new Rejection(ReasonCode.AMOUNT_OVERFLOW, "too big")
                                : null;
                    }
                };
        InputDeserializer<Click> strict =
                new InputDeserializer<>(amounts, ValidationSettings.defaults());
        ConsumerRecord<byte[], byte[]> big =
                new ConsumerRecord<>("clicks", 0, 3L, KEY, encode(TestClicks.click("big-1", T0)));

        InputRecord<Click> r = strict.classify(big);

        assertThat(r.kind).isEqualTo(RecordKind.BAD);
        assertThat(r.reason).isEqualTo(ReasonCode.AMOUNT_OVERFLOW);
        assertThat(r.message).isEqualTo("too big");
        assertThat(ErrorEnvelopes.ofBad(r, "job").getReasonCode())
                .isEqualTo(ReasonCode.AMOUNT_OVERFLOW);
        assertThat(
                        strict.classify(
                                        new ConsumerRecord<>(
                                                "clicks",
                                                0,
                                                4L,
                                                KEY,
                                                encode(TestClicks.click("c-1", T0))))
                                .kind)
                .isEqualTo(RecordKind.DATA);
    }

    @Test
    void heartbeatNeedsNoKeyAndCarriesItsEventTime() {
        byte[] heartbeat =
                SingleObjectCodec.of(Heartbeat.class)
                        .encode(Heartbeat.newBuilder().setEventTime(T0).build());
        InputRecord<Click> r = classify(null, heartbeat, T0.toEpochMilli());
        assertThat(r.kind).isEqualTo(RecordKind.HEARTBEAT);
        assertThat(r.eventTime).isEqualTo(T0.toEpochMilli());
    }

    @Test
    void farFutureHeartbeatIsSkewToo() {
        byte[] heartbeat =
                SingleObjectCodec.of(Heartbeat.class)
                        .encode(Heartbeat.newBuilder().setEventTime(T0.plusSeconds(7200)).build());
        assertThat(classify(null, heartbeat, T0.toEpochMilli()).reason)
                .isEqualTo(ReasonCode.EVENT_TIME_SKEW);
    }
}
