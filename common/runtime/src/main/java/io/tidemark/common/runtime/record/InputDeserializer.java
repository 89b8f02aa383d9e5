package io.tidemark.common.runtime.record;

import io.tidemark.common.schemas.Decoded;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.schemas.SingleObjectCodec;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns every Kafka record into exactly one {@link InputRecord}: decoded and validated, or marked
 * {@link RecordKind#BAD} with a reason. It never throws on bad input, so a malformed record reaches
 * the DLQ instead of failing the job.
 */
public final class InputDeserializer<T extends SpecificRecordBase>
        implements KafkaRecordDeserializationSchema<InputRecord<T>> {

    private static final long serialVersionUID = 1L;

    private final RecordSpec<T> spec;
    private final ValidationSettings validation;
    private transient SingleObjectCodec<T> codec;

    public InputDeserializer(RecordSpec<T> spec, ValidationSettings validation) {
        this.spec = spec;
        this.validation = validation;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec = SingleObjectCodec.of(spec.type());
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<InputRecord<T>> out) {
        out.collect(classify(record));
    }

    /** Decodes and validates one record; public for unit tests. */
    public InputRecord<T> classify(ConsumerRecord<byte[], byte[]> record) {
        if (codec == null) {
            codec = SingleObjectCodec.of(spec.type());
        }
        InputRecord<T> in = new InputRecord<>();
        in.topic = record.topic();
        in.partition = record.partition();
        in.offset = record.offset();
        in.recordTimestamp = record.timestamp();
        in.key = record.key();
        in.value = record.value();

        Decoded<T> decoded = codec.decode(record.value());
        if (decoded.isFailure()) {
            return bad(in, decoded.reason(), decoded.message());
        }
        if (decoded.kind() == Decoded.Kind.HEARTBEAT) {
            in.eventTime = decoded.heartbeat().getEventTime().toEpochMilli();
            String skew = validation.skewViolation(in.eventTime, in.recordTimestamp);
            if (skew != null) {
                return bad(in, ReasonCode.EVENT_TIME_SKEW, "heartbeat " + skew);
            }
            in.kind = RecordKind.HEARTBEAT;
            return in;
        }
        T payload = decoded.record();
        in.eventTime = spec.eventTime(payload);
        if (in.key == null || in.key.length == 0) {
            return bad(in, ReasonCode.MISSING_KEY, "record key is null or empty");
        }
        if (in.eventTime == null) {
            return bad(in, ReasonCode.MISSING_EVENT_TIME, "record has no event time");
        }
        String skew = validation.skewViolation(in.eventTime, in.recordTimestamp);
        if (skew != null) {
            return bad(in, ReasonCode.EVENT_TIME_SKEW, skew);
        }
        Rejection rejection = spec.rejection(payload);
        if (rejection != null) {
            return bad(in, rejection.reason(), rejection.message());
        }
        in.kind = RecordKind.DATA;
        in.payload = payload;
        return in;
    }

    private static <T> InputRecord<T> bad(InputRecord<T> in, ReasonCode reason, String message) {
        in.kind = RecordKind.BAD;
        in.reason = reason;
        in.message = message;
        return in;
    }

    @Override
    public TypeInformation<InputRecord<T>> getProducedType() {
        return InputRecord.typeInfo(spec.type());
    }
}
