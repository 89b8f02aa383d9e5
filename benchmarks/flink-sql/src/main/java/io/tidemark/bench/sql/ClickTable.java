package io.tidemark.bench.sql;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The columns of the SQL input table, and the Avro schema Flink's {@code avro} format derives from
 * them. {@link PrepareSqlInput} writes values in exactly that schema, {@link FlinkSqlSessions}
 * declares the table with the same columns: one list, so the two cannot drift apart.
 *
 * <p>{@code eventTime} is {@code TIMESTAMP_LTZ(3)}, an instant like Click's {@code
 * timestamp-millis} field. The format maps it to {@code timestamp-millis} only with {@code
 * avro.timestamp_mapping.legacy = false}; the legacy mapping (the default) cannot derive a schema
 * for {@code TIMESTAMP_LTZ} at all and would read a {@code TIMESTAMP(3)} column instead.
 */
final class ClickTable {

    /** The format option the table needs for its {@code TIMESTAMP_LTZ(3)} column. */
    static final boolean LEGACY_TIMESTAMP_MAPPING = false;

    /** One column: its name, its SQL type as written in the DDL and the same type as a DataType. */
    record Column(String name, String sqlType, DataType type) {}

    static final List<Column> COLUMNS =
            List.of(
                    new Column("eventId", "STRING NOT NULL", DataTypes.STRING().notNull()),
                    new Column("userId", "STRING NOT NULL", DataTypes.STRING().notNull()),
                    new Column(
                            "eventTime",
                            "TIMESTAMP_LTZ(3) NOT NULL",
                            DataTypes.TIMESTAMP_LTZ(3).notNull()),
                    new Column("type", "STRING NOT NULL", DataTypes.STRING().notNull()),
                    new Column("page", "STRING", DataTypes.STRING()),
                    new Column("productId", "STRING", DataTypes.STRING()));

    private ClickTable() {}

    /** The physical row type of the table (what the format reads). */
    static RowType rowType() {
        return (RowType)
                DataTypes.ROW(
                                COLUMNS.stream()
                                        .map(c -> DataTypes.FIELD(c.name(), c.type()))
                                        .toArray(DataTypes.Field[]::new))
                        .notNull()
                        .getLogicalType();
    }

    /** The Avro schema the {@code avro} format reads and writes for {@link #rowType()}. */
    static Schema avroSchema() {
        return AvroSchemaConverter.convertToSchema(rowType(), LEGACY_TIMESTAMP_MAPPING);
    }

    /** The column list of a {@code CREATE TABLE}, without the watermark. */
    static String columnsDdl() {
        return COLUMNS.stream()
                .map(c -> "  `" + c.name() + "` " + c.sqlType())
                .collect(Collectors.joining(",\n"));
    }
}
