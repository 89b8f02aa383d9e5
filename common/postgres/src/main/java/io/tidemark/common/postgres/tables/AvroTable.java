package io.tidemark.common.postgres.tables;

import io.tidemark.common.postgres.ReadModelTable;
import io.tidemark.common.schemas.SingleObjectCodec;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.util.function.SerializableFunction;

/**
 * A table of Avro results, keyed by the same function as the job's Kafka sink (so the primary key
 * is the Kafka key by construction); a rejected row's envelope value is the single-object encoding
 * Kafka carries.
 */
abstract class AvroTable<T extends SpecificRecordBase> implements ReadModelTable<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final SerializableFunction<T, String> key;
    private transient SingleObjectCodec<T> codec;

    AvroTable(Class<T> type, SerializableFunction<T, String> key) {
        this.type = type;
        this.key = key;
    }

    @Override
    public String key(T row) {
        return key.apply(row);
    }

    @Override
    public byte[] encode(T row) {
        if (codec == null) {
            codec = SingleObjectCodec.of(type);
        }
        return codec.encode(row);
    }
}
