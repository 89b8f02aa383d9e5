package io.tidemark.common.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (a {@code C3 01} marker, the writer schema's 8-byte fingerprint, then
 * the binary body) for one record type. The decoder resolves every historical version of the type
 * registered in {@link TidemarkSchemas}, recognises {@link Heartbeat}s on any topic, and reports
 * anything else as a failure instead of throwing.
 *
 * <p>Instances are thread-safe for encoding and decoding (Avro's encoder and decoder are).
 */
public final class SingleObjectCodec<T extends SpecificRecord> {

    private static final int HEADER_LENGTH = 10;
    private static final long HEARTBEAT_FINGERPRINT =
            TidemarkSchemas.fingerprint(Heartbeat.getClassSchema());

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final BinaryMessageDecoder<Heartbeat> heartbeatDecoder;

    /** The writer schemas this codec resolves (current and historical), by fingerprint. */
    private final Map<Long, Schema> readable = new HashMap<>();

    private SingleObjectCodec(Class<T> type) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        this.schema = SpecificData.get().getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        readable.put(TidemarkSchemas.fingerprint(schema), schema);
        for (Schema old : TidemarkSchemas.history(schema.getName())) {
            decoder.addSchema(old);
            readable.put(TidemarkSchemas.fingerprint(old), old);
        }
        this.heartbeatDecoder = Heartbeat.getDecoder();
    }

    public static <T extends SpecificRecord> SingleObjectCodec<T> of(Class<T> type) {
        return new SingleObjectCodec<>(type);
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        return schema;
    }

    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a Kafka value. Never throws; a null value is a deserialization failure. */
    public Decoded<T> decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Decoded.failure(ReasonCode.DESERIALIZATION_FAILED, "empty or null value");
        }
        try {
            long fingerprint = fingerprintOf(bytes);
            if (fingerprint == HEARTBEAT_FINGERPRINT && type != Heartbeat.class) {
                BinaryBodyCheck.check(Heartbeat.getClassSchema(), bytes, HEADER_LENGTH);
                return Decoded.heartbeat(heartbeatDecoder.decode(bytes));
            }
            Schema writer = readable.get(fingerprint);
            if (writer != null) {
                // Before Avro allocates whatever lengths a corrupt body declares.
                BinaryBodyCheck.check(writer, bytes, HEADER_LENGTH);
            }
            return Decoded.record(decoder.decode(bytes));
        } catch (MissingSchemaException e) {
            String known =
                    TidemarkSchemas.byFingerprint(fingerprintOf(bytes))
                            .map(s -> "a " + s.getName() + " record")
                            .orElse("an unknown schema");
            return Decoded.failure(
                    ReasonCode.SCHEMA_MISMATCH,
                    "expected "
                            + schema.getName()
                            + " but the value is "
                            + known
                            + " (fingerprint "
                            + Long.toHexString(fingerprintOf(bytes))
                            + ")");
        } catch (BadHeaderException e) {
            return Decoded.failure(
                    ReasonCode.DESERIALIZATION_FAILED,
                    "not Avro single-object encoded: " + e.getMessage());
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            return Decoded.failure(
                    ReasonCode.DESERIALIZATION_FAILED,
                    "corrupt " + schema.getName() + " body: " + e);
        } catch (RuntimeException e) {
            // Avro throws assorted unchecked exceptions on truncated or garbled bodies.
            return Decoded.failure(
                    ReasonCode.DESERIALIZATION_FAILED,
                    "corrupt " + schema.getName() + " body: " + e);
        }
    }

    /**
     * The writer-schema fingerprint in a single-object header, or 0 when the bytes have no valid
     * header.
     */
    public static long fingerprintOf(byte[] bytes) {
        if (bytes == null
                || bytes.length < HEADER_LENGTH
                || bytes[0] != (byte) 0xC3
                || bytes[1] != (byte) 0x01) {
            return 0L;
        }
        return ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Encodes a generic record (e.g. built from JSON) with the given writer schema. */
    public static byte[] encodeGeneric(GenericRecord record, Schema writer) {
        try {
            ByteBuffer buffer =
                    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer)
                            .encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes any Tidemark record to a generic record in its writer schema, looking the schema up
     * by fingerprint. Used by tools that read topics without knowing their type.
     *
     * @throws IllegalArgumentException when the header or schema is unknown or the body corrupt
     */
    public static GenericRecord decodeGeneric(byte[] bytes) {
        long fingerprint = fingerprintOf(bytes);
        Schema writer =
                TidemarkSchemas.byFingerprint(fingerprint)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "no known schema with fingerprint "
                                                        + Long.toHexString(fingerprint)));
        try {
            BinaryBodyCheck.check(writer, bytes, HEADER_LENGTH);
            return new BinaryMessageDecoder<GenericRecord>(GenericData.get(), writer).decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("corrupt " + writer.getName() + " value: " + e, e);
        }
    }
}
