package io.tidemark.common.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.TidemarkSchemas;
import java.time.format.DateTimeParseException;

/**
 * The Kafka key and record timestamp a record gets when a JSON line does not say otherwise. Read
 * from the JSON form of the record, so that lines with {@code _raw} values (which are not Avro)
 * still get a key and timestamp from whatever fields they carry.
 */
public final class RecordDefaults {

    private RecordDefaults() {}

    /**
     * The default key: Click → userId, Order → orderId, ProductChange → productId and
     * CustomerChange → customerId of {@code after} or else {@code before}, Heartbeat → null, any
     * other type → its first field. Null when the field is absent or null.
     */
    public static String defaultKey(String type, JsonNode record) {
        switch (type) {
            case "Click":
                return text(record.get("userId"));
            case "Order":
                return text(record.get("orderId"));
            case "ProductChange":
                return changeKey(record, "productId");
            case "CustomerChange":
                return changeKey(record, "customerId");
            case "Heartbeat":
                return null;
            default:
                String firstField = TidemarkSchemas.schema(type).getFields().get(0).name();
                return text(record.get(firstField));
        }
    }

    /**
     * The record's event time in epoch millis: {@code eventTime} (ISO-8601 text) or, for change
     * events, {@code ts_ms} (a number). Null when the record has neither.
     *
     * @throws IllegalArgumentException when the field is present but not a valid time
     */
    public static Long eventTimeMillis(JsonNode record) {
        JsonNode eventTime = record.get("eventTime");
        if (eventTime != null && !eventTime.isNull()) {
            return timestamp(eventTime, "eventTime");
        }
        JsonNode tsMs = record.get("ts_ms");
        if (tsMs != null && !tsMs.isNull()) {
            return timestamp(tsMs, "ts_ms");
        }
        return null;
    }

    /** An ISO-8601 instant string or an epoch-millis number. */
    static long timestamp(JsonNode node, String what) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual()) {
            try {
                return AvroJson.parseInstant(node.textValue());
            } catch (DateTimeParseException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException(
                what
                        + ": expected an ISO-8601 instant like 2026-11-01T10:00:00.000Z or epoch"
                        + " millis but got "
                        + node);
    }

    private static String changeKey(JsonNode record, String idField) {
        for (String image : new String[] {"after", "before"}) {
            JsonNode row = record.get(image);
            if (row != null && row.isObject()) {
                return text(row.get(idField));
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }
}
