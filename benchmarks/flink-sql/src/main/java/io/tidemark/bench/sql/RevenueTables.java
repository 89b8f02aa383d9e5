package io.tidemark.bench.sql;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The physical columns of the revenue query's three input tables, and the Avro schema Flink's
 * {@code avro} format derives from each: {@link PrepareSqlRevenueInput} writes values in exactly
 * that schema and {@link RevenueSql} declares the tables with the same columns, so the two cannot
 * drift apart (as {@link ClickTable} does for clicks).
 *
 * <p>They are the Tidemark records' own fields, nested as in Avro: an order with its {@code lines}
 * array, and the Debezium envelopes ({@code op}, {@code before}, {@code after}, {@code ts_ms}) of
 * products and customers. Only what Flink's format cannot read changes: the single-object header
 * goes, {@code op} is the enum's name and event times are {@code TIMESTAMP_LTZ(3)}.
 */
final class RevenueTables {

    /** One physical column. */
    record Column(String name, DataType type) {}

    static final List<Column> ORDERS =
            List.of(
                    new Column("orderId", DataTypes.STRING().notNull()),
                    new Column("customerId", DataTypes.STRING().notNull()),
                    new Column("eventTime", DataTypes.TIMESTAMP_LTZ(3).notNull()),
                    new Column("currency", DataTypes.STRING().notNull()),
                    new Column(
                            "lines",
                            DataTypes.ARRAY(
                                            DataTypes.ROW(
                                                            DataTypes.FIELD(
                                                                    "productId",
                                                                    DataTypes.STRING().notNull()),
                                                            DataTypes.FIELD(
                                                                    "quantity",
                                                                    DataTypes.INT().notNull()),
                                                            DataTypes.FIELD(
                                                                    "unitPriceMinor",
                                                                    DataTypes.BIGINT().notNull()))
                                                    .notNull())
                                    .notNull()));

    static final DataType PRODUCT =
            DataTypes.ROW(
                    DataTypes.FIELD("productId", DataTypes.STRING().notNull()),
                    DataTypes.FIELD("name", DataTypes.STRING().notNull()),
                    DataTypes.FIELD("category", DataTypes.STRING().notNull()),
                    DataTypes.FIELD("listPriceMinor", DataTypes.BIGINT().notNull()));

    static final DataType CUSTOMER =
            DataTypes.ROW(
                    DataTypes.FIELD("customerId", DataTypes.STRING().notNull()),
                    DataTypes.FIELD("segment", DataTypes.STRING().notNull()),
                    DataTypes.FIELD("region", DataTypes.STRING().notNull()));

    static final List<Column> PRODUCTS = envelope(PRODUCT);
    static final List<Column> CUSTOMERS = envelope(CUSTOMER);

    private RevenueTables() {}

    /** A change event: {@code op}, the row before and after (null when absent), its time. */
    private static List<Column> envelope(DataType row) {
        return List.of(
                new Column("op", DataTypes.STRING().notNull()),
                new Column("before", row.nullable()),
                new Column("after", row.nullable()),
                new Column("ts_ms", DataTypes.TIMESTAMP_LTZ(3).notNull()));
    }

    /** The physical row type of a table (what the format reads). */
    static RowType rowType(List<Column> columns) {
        return (RowType)
                DataTypes.ROW(
                                columns.stream()
                                        .map(c -> DataTypes.FIELD(c.name(), c.type()))
                                        .toArray(DataTypes.Field[]::new))
                        .notNull()
                        .getLogicalType();
    }

    /** The Avro schema the {@code avro} format reads and writes for a table's columns. */
    static Schema avroSchema(List<Column> columns) {
        return AvroSchemaConverter.convertToSchema(
                rowType(columns), ClickTable.LEGACY_TIMESTAMP_MAPPING);
    }

    /** The column list of a {@code CREATE TABLE}, without computed columns and watermark. */
    static String columnsDdl(List<Column> columns) {
        return columns.stream()
                .map(
                        c ->
                                "  `"
                                        + c.name()
                                        + "` "
                                        + c.type().getLogicalType().asSerializableString())
                .collect(Collectors.joining(",\n"));
    }
}
