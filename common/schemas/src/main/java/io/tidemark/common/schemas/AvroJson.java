package io.tidemark.common.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The one JSON mapping of every Tidemark record, driven by the Avro schema:
 *
 * <ul>
 *   <li>field names exactly as in the schema; every field is written, nullable ones as {@code
 *       null};
 *   <li>{@code timestamp-millis} as an ISO-8601 UTC string with milliseconds ({@code
 *       2026-11-01T10:00:00.000Z}); other longs and ints as JSON numbers;
 *   <li>enums as their symbol, arrays as arrays, nested records as objects, {@code bytes} as
 *       base64;
 *   <li>a nullable union ({@code ["null", T]}) as {@code null} or the plain value of {@code T};
 *   <li>on reading, a missing field takes its schema default (or {@code null} when nullable); an
 *       unknown field is an error, except top-level control fields starting with {@code _} (see the
 *       JSON Lines loader), which are ignored here.
 * </ul>
 */
public final class AvroJson {

    /**
     * Reads exactly one JSON value per text and rejects duplicate keys, so that a JSON Lines line
     * holding two objects or a field twice is an error instead of losing data silently.
     */
    public static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AvroJson() {}

    /** Formats epoch milliseconds as the mapping writes timestamps. */
    public static String formatInstant(long epochMillis) {
        return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Parses an ISO-8601 instant ({@code 2026-11-01T10:00:00Z}, millis optional). */
    public static long parseInstant(String text) {
        return Instant.parse(text).toEpochMilli();
    }

    /** Reads one JSON object into a generic record of {@code schema}. */
    public static GenericRecord fromJson(String json, Schema schema) {
        try {
            return fromJson(MAPPER.readTree(json), schema);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads one JSON object into a generic record of {@code schema}. */
    public static GenericRecord fromJson(JsonNode node, Schema schema) {
        return (GenericRecord) read(node, schema, "$", true);
    }

    /**
     * Writes a record as JSON: a generic one with raw Avro values, or a generated (specific) one
     * whose timestamps are {@link Instant}s.
     */
    public static ObjectNode toJson(GenericRecord record) {
        return (ObjectNode) write(record, record.getSchema());
    }

    /** Decodes any single-object-encoded Tidemark value and writes it as JSON. */
    public static ObjectNode toJson(byte[] singleObjectBytes) {
        return toJson(SingleObjectCodec.decodeGeneric(singleObjectBytes));
    }

    /**
     * The canonical text of a JSON value: object keys sorted at every level, no whitespace. Two
     * equal records always give equal text, so outputs compare line by line.
     */
    public static String canonical(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(sorted(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                fields.put(e.getKey(), sorted(e.getValue()));
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(child -> out.add(sorted(child)));
            return out;
        }
        return node;
    }

    private static Object read(JsonNode node, Schema schema, String path, boolean topLevel) {
        switch (schema.getType()) {
            case RECORD:
                return readRecord(node, schema, path, topLevel);
            case UNION:
                return readUnion(node, schema, path);
            case NULL:
                if (node == null || node.isNull()) {
                    return null;
                }
                throw mismatch(path, "null", node);
            case STRING:
                if (node != null && node.isTextual()) {
                    return node.textValue();
                }
                throw mismatch(path, "a string", node);
            case BOOLEAN:
                if (node != null && node.isBoolean()) {
                    return node.booleanValue();
                }
                throw mismatch(path, "true or false", node);
            case INT:
                if (node != null && node.isIntegralNumber() && node.canConvertToInt()) {
                    return node.intValue();
                }
                throw mismatch(path, "a 32-bit integer", node);
            case LONG:
                return readLong(node, schema, path);
            case ENUM:
                if (node != null && node.isTextual() && schema.hasEnumSymbol(node.textValue())) {
                    return new GenericData.EnumSymbol(schema, node.textValue());
                }
                throw mismatch(path, "one of " + schema.getEnumSymbols(), node);
            case ARRAY:
                if (node == null || !node.isArray()) {
                    throw mismatch(path, "an array", node);
                }
                List<Object> items = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    items.add(
                            read(
                                    node.get(i),
                                    schema.getElementType(),
                                    path + "[" + i + "]",
                                    false));
                }
                return new GenericData.Array<>(schema, items);
            case BYTES:
                if (node != null && node.isTextual()) {
                    try {
                        return ByteBuffer.wrap(Base64.getDecoder().decode(node.textValue()));
                    } catch (IllegalArgumentException e) {
                        throw mismatch(path, "base64 text", node);
                    }
                }
                throw mismatch(path, "base64 text", node);
            default:
                throw new IllegalArgumentException(
                        path + ": schema type " + schema.getType() + " has no JSON mapping");
        }
    }

    private static GenericRecord readRecord(
            JsonNode node, Schema schema, String path, boolean topLevel) {
        if (node == null || !node.isObject()) {
            throw mismatch(path, "an object (" + schema.getName() + ")", node);
        }
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            JsonNode value = node.get(field.name());
            String fieldPath = path + "." + field.name();
            if (value == null) {
                if (field.hasDefaultValue()) {
                    record.put(
                            field.pos(),
                            GenericData.get()
                                    .deepCopy(
                                            field.schema(),
                                            GenericData.get().getDefaultValue(field)));
                    continue;
                }
                if (isNullable(field.schema())) {
                    record.put(field.pos(), null);
                    continue;
                }
                throw new IllegalArgumentException(fieldPath + ": required field is missing");
            }
            record.put(field.pos(), read(value, field.schema(), fieldPath, false));
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (schema.getField(name) == null && !(topLevel && name.startsWith("_"))) {
                throw new IllegalArgumentException(
                        path
                                + "."
                                + name
                                + ": unknown field for "
                                + schema.getName()
                                + "; known fields: "
                                + schema.getFields().stream().map(Schema.Field::name).toList());
            }
        }
        return record;
    }

    private static Object readUnion(JsonNode node, Schema schema, String path) {
        Schema nonNull = nonNullBranch(schema, path);
        if (node == null || node.isNull()) {
            if (isNullable(schema)) {
                return null;
            }
            throw mismatch(path, "a value", node);
        }
        return read(node, nonNull, path, false);
    }

    private static Object readLong(JsonNode node, Schema schema, String path) {
        if (isTimestampMillis(schema)) {
            if (node != null && node.isTextual()) {
                try {
                    return parseInstant(node.textValue());
                } catch (DateTimeParseException e) {
                    throw mismatch(
                            path, "an ISO-8601 UTC instant like 2026-11-01T10:00:00.000Z", node);
                }
            }
            throw mismatch(path, "an ISO-8601 UTC instant like 2026-11-01T10:00:00.000Z", node);
        }
        if (node != null && node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        throw mismatch(path, "a 64-bit integer", node);
    }

    private static JsonNode write(Object value, Schema schema) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) {
            return f.nullNode();
        }
        switch (schema.getType()) {
            case RECORD:
                GenericRecord record = (GenericRecord) value;
                ObjectNode out = f.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    out.set(field.name(), write(record.get(field.pos()), field.schema()));
                }
                return out;
            case UNION:
                return write(value, nonNullBranch(schema, "$"));
            case STRING:
            case ENUM:
                return f.textNode(value.toString());
            case BOOLEAN:
                return f.booleanNode((Boolean) value);
            case INT:
                return f.numberNode(((Number) value).intValue());
            case LONG:
                long l =
                        value instanceof Instant
                                ? ((Instant) value).toEpochMilli()
                                : ((Number) value).longValue();
                return isTimestampMillis(schema) ? f.textNode(formatInstant(l)) : f.numberNode(l);
            case ARRAY:
                ArrayNode array = f.arrayNode();
                for (Object item : (Iterable<?>) value) {
                    array.add(write(item, schema.getElementType()));
                }
                return array;
            case BYTES:
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return f.textNode(Base64.getEncoder().encodeToString(bytes));
            default:
                throw new IllegalArgumentException(
                        "schema type " + schema.getType() + " has no JSON mapping");
        }
    }

    private static boolean isTimestampMillis(Schema schema) {
        LogicalType logicalType = schema.getLogicalType();
        return logicalType instanceof LogicalTypes.TimestampMillis;
    }

    private static boolean isNullable(Schema schema) {
        return schema.getType() == Schema.Type.NULL
                || (schema.getType() == Schema.Type.UNION
                        && schema.getTypes().stream()
                                .anyMatch(s -> s.getType() == Schema.Type.NULL));
    }

    private static Schema nonNullBranch(Schema union, String path) {
        List<Schema> branches =
                union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (branches.size() != 1) {
            throw new IllegalArgumentException(
                    path + ": only [\"null\", T] unions have a JSON mapping, not " + union);
        }
        return branches.get(0);
    }

    private static IllegalArgumentException mismatch(String path, String expected, JsonNode got) {
        return new IllegalArgumentException(
                path + ": expected " + expected + " but got " + (got == null ? "nothing" : got));
    }
}
