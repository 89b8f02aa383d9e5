package io.tidemark.common.runtime.record;

import io.tidemark.common.schemas.ReasonCode;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * One Kafka record as it enters a Tidemark job: where it came from (topic, partition, offset,
 * record timestamp), its original bytes (needed for the error envelope), and what it decoded to.
 *
 * <p>A Flink POJO with declared field types (see {@link #typeInfo}), never Kryo. The original value
 * bytes are dropped once a record has been accepted as on time, so windows and state do not carry
 * them.
 */
public class InputRecord<T> {

    public String topic;
    public int partition;
    public long offset;

    /** The Kafka record timestamp, or {@code -1} when the record has none. */
    public long recordTimestamp;

    public byte[] key;
    public byte[] value;

    public RecordKind kind;

    /** The decoded record, for {@link RecordKind#DATA} only. */
    public T payload;

    /** Event time in epoch millis; null when unknown (always set for DATA and HEARTBEAT). */
    public Long eventTime;

    /** Why a {@link RecordKind#BAD} record was rejected. */
    public ReasonCode reason;

    public String message;

    public InputRecord() {}

    public boolean isData() {
        return kind == RecordKind.DATA;
    }

    public boolean isHeartbeat() {
        return kind == RecordKind.HEARTBEAT;
    }

    public boolean isBad() {
        return kind == RecordKind.BAD;
    }

    /** Topic/partition/offset: the record's unique, deterministic identity. */
    public String coordinates() {
        return topic + "/" + partition + "/" + offset;
    }

    /** The declared Flink type of {@code InputRecord<T>} for an Avro payload type. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T extends SpecificRecordBase> TypeInformation<InputRecord<T>> typeInfo(
            Class<T> payloadType) {
        Map<String, TypeInformation<?>> fields = new HashMap<>();
        fields.put("topic", Types.STRING);
        fields.put("partition", Types.INT);
        fields.put("offset", Types.LONG);
        fields.put("recordTimestamp", Types.LONG);
        fields.put("key", Types.PRIMITIVE_ARRAY(Types.BYTE));
        fields.put("value", Types.PRIMITIVE_ARRAY(Types.BYTE));
        fields.put("kind", Types.ENUM(RecordKind.class));
        fields.put("payload", new AvroTypeInfo<>(payloadType));
        fields.put("eventTime", Types.LONG);
        fields.put("reason", Types.ENUM(ReasonCode.class));
        fields.put("message", Types.STRING);
        return (TypeInformation) Types.POJO(InputRecord.class, fields);
    }

    @Override
    public String toString() {
        return "InputRecord{"
                + coordinates()
                + ", kind="
                + kind
                + ", eventTime="
                + eventTime
                + (reason == null ? "" : ", reason=" + reason + ": " + message)
                + ", payload="
                + payload
                + '}';
    }
}
