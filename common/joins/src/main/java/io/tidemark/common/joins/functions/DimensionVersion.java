package io.tidemark.common.joins.functions;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * One version of a dimension row (a product or a customer) as of {@code tsMs}: its image, or a
 * delete. {@code partition} and {@code offset} locate the change event in its changelog and break
 * ties between versions with the same {@code ts_ms}: the later change event wins.
 */
public class DimensionVersion<D> {

    public long tsMs;
    public int partition;
    public long offset;
    public boolean deleted;

    /** The row after the change; null for a delete. */
    public D value;

    public DimensionVersion() {}

    public static <D> DimensionVersion<D> of(
            long tsMs, int partition, long offset, boolean deleted, D value) {
        DimensionVersion<D> v = new DimensionVersion<>();
        v.tsMs = tsMs;
        v.partition = partition;
        v.offset = offset;
        v.deleted = deleted;
        v.value = deleted ? null : value;
        return v;
    }

    /** True when this version replaces {@code other} at the same {@code ts_ms}. */
    public boolean supersedes(DimensionVersion<D> other) {
        if (partition != other.partition) {
            return partition > other.partition;
        }
        return offset > other.offset;
    }

    /** Declared Flink type of a version with an Avro image. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <D extends SpecificRecordBase> TypeInformation<DimensionVersion<D>> typeInfo(
            Class<D> type) {
        Map<String, TypeInformation<?>> fields = new HashMap<>();
        fields.put("tsMs", Types.LONG);
        fields.put("partition", Types.INT);
        fields.put("offset", Types.LONG);
        fields.put("deleted", Types.BOOLEAN);
        fields.put("value", new AvroTypeInfo<>(type));
        return (TypeInformation) Types.POJO(DimensionVersion.class, fields);
    }
}
