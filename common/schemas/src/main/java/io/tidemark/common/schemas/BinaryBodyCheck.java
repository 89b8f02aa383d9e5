package io.tidemark.common.schemas;

import java.io.IOException;
import org.apache.avro.Schema;

/**
 * Walks an Avro binary body against its writer schema without building any object, and rejects it
 * unless it is well formed and ends exactly at the end of the value.
 *
 * <p>Avro allocates a string, byte array or array block as large as the length the data declares
 * before it notices that the bytes are not there, so a corrupt value declaring two billion bytes
 * ends in an {@link OutOfMemoryError} instead of an exception. Every length and count is checked
 * here against the bytes that remain first. An array or map block may therefore hold at most as
 * many items as there are bytes left, which only excludes arrays of zero-size items (nulls or empty
 * records) that no Tidemark schema has.
 */
final class BinaryBodyCheck {

    private final byte[] bytes;
    private int pos;

    private BinaryBodyCheck(byte[] bytes, int offset) {
        this.bytes = bytes;
        this.pos = offset;
    }

    /**
     * Checks {@code bytes[offset..]} as one value of {@code writer}.
     *
     * @throws IOException naming the first problem found
     */
    static void check(Schema writer, byte[] bytes, int offset) throws IOException {
        BinaryBodyCheck check = new BinaryBodyCheck(bytes, offset);
        check.value(writer);
        if (check.pos != bytes.length) {
            throw new IOException(
                    (bytes.length - check.pos)
                            + " unexpected bytes after the end of the "
                            + writer.getName()
                            + " body");
        }
    }

    private void value(Schema schema) throws IOException {
        switch (schema.getType()) {
            case RECORD:
                for (Schema.Field field : schema.getFields()) {
                    value(field.schema());
                }
                return;
            case UNION:
                value(schema.getTypes().get(index(schema.getTypes().size(), "union branch")));
                return;
            case ENUM:
                index(schema.getEnumSymbols().size(), "enum symbol");
                return;
            case NULL:
                return;
            case BOOLEAN:
                skip(1);
                return;
            case INT:
                varint(5);
                return;
            case LONG:
                varint(10);
                return;
            case FLOAT:
                skip(4);
                return;
            case DOUBLE:
                skip(8);
                return;
            case STRING:
            case BYTES:
                skip(length("length"));
                return;
            case FIXED:
                skip(schema.getFixedSize());
                return;
            case ARRAY:
                blocks(schema.getElementType(), false);
                return;
            case MAP:
                blocks(schema.getValueType(), true);
                return;
            default:
                throw new IOException("unsupported schema type " + schema.getType());
        }
    }

    private void blocks(Schema item, boolean map) throws IOException {
        while (true) {
            long count = varint(10);
            if (count == 0) {
                return;
            }
            if (count < 0) {
                // A negative count is followed by the block's size in bytes.
                count = -count;
                length("block size");
            }
            if (count > remaining()) {
                throw new IOException(
                        "block of " + count + " items but only " + remaining() + " bytes left");
            }
            for (long i = 0; i < count; i++) {
                if (map) {
                    skip(length("map key length"));
                }
                value(item);
            }
        }
    }

    private int index(int size, String what) throws IOException {
        long index = varint(5);
        if (index < 0 || index >= size) {
            throw new IOException(what + " index " + index + " out of range [0, " + size + ")");
        }
        return (int) index;
    }

    private int length(String what) throws IOException {
        long length = varint(10);
        if (length < 0 || length > remaining()) {
            throw new IOException(what + " " + length + " but only " + remaining() + " bytes left");
        }
        return (int) length;
    }

    /** Reads a zig-zag varint of at most {@code maxBytes} bytes. */
    private long varint(int maxBytes) throws IOException {
        long raw = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (pos >= bytes.length) {
                throw new IOException("value ends inside a number");
            }
            int b = bytes[pos++] & 0xFF;
            raw |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new IOException("malformed variable-length number");
    }

    private void skip(int n) throws IOException {
        if (n > remaining()) {
            throw new IOException("value ends " + (n - remaining()) + " bytes early");
        }
        pos += n;
    }

    private int remaining() {
        return bytes.length - pos;
    }
}
