package io.tidemark.common.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code ErrorEnvelope} v0 is the envelope before the reason codes {@code AMOUNT_OVERFLOW} and
 * {@code INCOMPLETE_ORDER}: envelopes already in DLQ and late topics stay readable by the current
 * codec, and a reader still on v0 sees a newer reason as {@code UNKNOWN} instead of failing.
 */
class ErrorEnvelopeHistoryTest {

    /** Fingerprint of ErrorEnvelope as committed before the two symbols were appended. */
    private static final long V0_FINGERPRINT = -91875556816329787L;

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final SingleObjectCodec<ErrorEnvelope> envelopes =
            SingleObjectCodec.of(ErrorEnvelope.class);

    @Test
    void v0IsTheCommittedPreviousSchemaAndIsRegistered() throws IOException {
        Schema v0 = v0();

        assertThat(TidemarkSchemas.fingerprint(v0)).isEqualTo(V0_FINGERPRINT);
        assertThat(TidemarkSchemas.history("ErrorEnvelope")).containsExactly(v0);
        assertThat(TidemarkSchemas.byFingerprint(V0_FINGERPRINT)).contains(v0);
        assertThat(TidemarkSchemas.fingerprint(ErrorEnvelope.getClassSchema()))
                .isNotEqualTo(V0_FINGERPRINT);
    }

    @Test
    void newSymbolsAreAppendedAfterEveryV0SymbolWithUnknownAsDefault() throws IOException {
        List<String> old = v0().getField("reasonCode").schema().getEnumSymbols();
        List<String> current = ReasonCode.getClassSchema().getEnumSymbols();

        assertThat(current.subList(0, old.size())).isEqualTo(old);
        assertThat(current.subList(old.size(), current.size()))
                .containsExactly("AMOUNT_OVERFLOW", "INCOMPLETE_ORDER");
        assertThat(ReasonCode.getClassSchema().getEnumDefault()).isEqualTo("UNKNOWN");
    }

    @Test
    void envelopeWrittenWithV0DecodesAsCurrentEnvelope() throws IOException {
        Schema v0 = v0();
        GenericRecord old = new GenericData.Record(v0);
        old.put("key", ByteBuffer.wrap("o-1".getBytes(StandardCharsets.UTF_8)));
        old.put("value", null);
        old.put("topic", "orders");
        old.put("partition", 1);
        old.put("offset", 42L);
        old.put(
                "reasonCode",
                new GenericData.EnumSymbol(v0.getField("reasonCode").schema(), "INVALID_FIELD"));
        old.put("message", "order has no lines");
        old.put("job", "revenue");
        old.put("recordTimestamp", T0.toEpochMilli());
        old.put("eventTime", T0.toEpochMilli());

        byte[] bytes = SingleObjectCodec.encodeGeneric(old, v0);
        Decoded<ErrorEnvelope> decoded = envelopes.decode(bytes);

        assertThat(SingleObjectCodec.fingerprintOf(bytes)).isEqualTo(V0_FINGERPRINT);
        assertThat(decoded.kind()).isEqualTo(Decoded.Kind.RECORD);
        assertThat(decoded.record().getReasonCode()).isEqualTo(ReasonCode.INVALID_FIELD);
        assertThat(decoded.record().getOffset()).isEqualTo(42L);
        assertThat(decoded.record().getEventTime()).isEqualTo(T0);
    }

    @Test
    void readerStillOnV0SeesANewReasonAsUnknown() throws IOException {
        for (ReasonCode added : List.of(ReasonCode.AMOUNT_OVERFLOW, ReasonCode.INCOMPLETE_ORDER)) {
            ErrorEnvelope current =
                    ErrorEnvelope.newBuilder()
                            .setKey(null)
                            .setValue(null)
                            .setTopic("orders")
                            .setPartition(0)
                            .setOffset(7)
                            .setReasonCode(added)
                            .setMessage("m")
                            .setJob("revenue")
                            .setRecordTimestamp(T0)
                            .setEventTime(null)
                            .build();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
            new SpecificDatumWriter<>(ErrorEnvelope.class).write(current, encoder);
            encoder.flush();

            GenericRecord read =
                    new GenericDatumReader<GenericRecord>(ErrorEnvelope.getClassSchema(), v0())
                            .read(
                                    null,
                                    DecoderFactory.get().binaryDecoder(body.toByteArray(), null));

            assertThat(read.get("reasonCode")).hasToString("UNKNOWN");
            assertThat(read.get("offset")).isEqualTo(7L);
        }
    }

    private static Schema v0() throws IOException {
        String resource = "history/ErrorEnvelope/v0.avsc";
        try (InputStream in =
                ErrorEnvelopeHistoryTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new Schema.Parser().parse(in);
        }
    }
}
