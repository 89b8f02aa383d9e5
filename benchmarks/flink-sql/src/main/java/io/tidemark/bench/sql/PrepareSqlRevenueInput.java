package io.tidemark.bench.sql;

import io.tidemark.bench.probe.VariantArgs;
import io.tidemark.common.schemas.Customer;
import io.tidemark.common.schemas.CustomerChange;
import io.tidemark.common.schemas.Decoded;
import io.tidemark.common.schemas.Order;
import io.tidemark.common.schemas.OrderLine;
import io.tidemark.common.schemas.Product;
import io.tidemark.common.schemas.ProductChange;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * Copies the revenue benchmark's inputs (Avro single-object encoded {@link Order}s, {@link
 * ProductChange}s and {@link CustomerChange}s) to topics Flink SQL's {@code avro} format can read:
 * plain Avro binary of {@link RevenueTables}' schemas, same partition, order, key and timestamp.
 * Not measured. Each topic is skipped when its plain copy already holds as many records.
 *
 * <p>Arguments: {@code --bootstrap}, {@code --orders} / {@code --orders-plain}, {@code --products}
 * / {@code --products-plain}, {@code --customers} / {@code --customers-plain}.
 */
public final class PrepareSqlRevenueInput {

    private PrepareSqlRevenueInput() {}

    public static void main(String[] args) {
        try {
            VariantArgs a =
                    VariantArgs.parse(
                            args,
                            Map.of(
                                    "bootstrap", "",
                                    "orders", "orders",
                                    "orders-plain", "orders-plain",
                                    "products", "products",
                                    "products-plain", "products-plain",
                                    "customers", "customers",
                                    "customers-plain", "customers-plain"));
            for (String input : List.of("orders", "products", "customers")) {
                PrepareSqlInput.Outcome outcome =
                        prepare(a.get("bootstrap"), input, a.get(input), a.get(input + "-plain"));
                System.out.printf(
                        "%s → %s: %d of %d records copied, %d skipped%s%n",
                        a.get(input),
                        a.get(input + "-plain"),
                        outcome.written(),
                        outcome.inputRecords(),
                        outcome.skipped(),
                        outcome.alreadyPrepared() ? " (already prepared)" : "");
            }
            System.out.flush();
            System.exit(0);
        } catch (Throwable e) {
            System.err.println("PrepareSqlRevenueInput failed: " + PrepareSqlInput.rootCause(e));
            e.printStackTrace();
            System.out.println("PrepareSqlRevenueInput failed: " + PrepareSqlInput.rootCause(e));
            System.out.flush();
            System.exit(1);
        }
    }

    /**
     * Copies one input, {@code kind} being {@code orders}, {@code products} or {@code customers}.
     */
    static PrepareSqlInput.Outcome prepare(
            String bootstrap, String kind, String input, String plain) throws Exception {
        Function<byte[], byte[]> toPlain =
                switch (kind) {
                    case "orders" ->
                            converter(
                                    Order.class,
                                    RevenueTables.ORDERS,
                                    PrepareSqlRevenueInput::order);
                    case "products" ->
                            converter(
                                    ProductChange.class,
                                    RevenueTables.PRODUCTS,
                                    PrepareSqlRevenueInput::product);
                    case "customers" ->
                            converter(
                                    CustomerChange.class,
                                    RevenueTables.CUSTOMERS,
                                    PrepareSqlRevenueInput::customer);
                    default -> throw new IllegalArgumentException("unknown input " + kind);
                };
        return PrepareSqlInput.prepare(bootstrap, input, plain, toPlain);
    }

    /** How one decoded record fills a row of the plain schema; false: skip the record. */
    private interface Filler<T> {
        boolean fill(T record, GenericRecord row);
    }

    private static <T extends SpecificRecord> Function<byte[], byte[]> converter(
            Class<T> type, List<RevenueTables.Column> columns, Filler<T> filler) {
        SingleObjectCodec<T> codec = SingleObjectCodec.of(type);
        PrepareSqlInput.PlainEncoder encoder =
                new PrepareSqlInput.PlainEncoder(RevenueTables.avroSchema(columns));
        return value -> {
            Decoded<T> decoded = codec.decode(value);
            if (decoded.kind() != Decoded.Kind.RECORD) {
                return null;
            }
            GenericRecord row = new GenericData.Record(encoder.schema());
            return filler.fill(decoded.record(), row) ? encoder.encode(row) : null;
        };
    }

    private static boolean order(Order order, GenericRecord row) {
        if (order.getEventTime() == null) {
            return false;
        }
        row.put("orderId", order.getOrderId());
        row.put("customerId", order.getCustomerId());
        row.put("eventTime", order.getEventTime().toEpochMilli());
        row.put("currency", order.getCurrency());
        Schema lineSchema =
                nonNull(nonNull(row.getSchema().getField("lines").schema()).getElementType());
        List<GenericRecord> lines = new ArrayList<>(order.getLines().size());
        for (OrderLine line : order.getLines()) {
            GenericRecord l = new GenericData.Record(lineSchema);
            l.put("productId", line.getProductId());
            l.put("quantity", line.getQuantity());
            l.put("unitPriceMinor", line.getUnitPriceMinor());
            lines.add(l);
        }
        row.put("lines", lines);
        return true;
    }

    private static boolean product(ProductChange change, GenericRecord row) {
        if (change.getTsMs() == null) {
            return false;
        }
        row.put("op", change.getOp().name());
        row.put("before", product(change.getBefore(), row.getSchema().getField("before")));
        row.put("after", product(change.getAfter(), row.getSchema().getField("after")));
        row.put("ts_ms", change.getTsMs());
        return true;
    }

    private static GenericRecord product(Product product, Schema.Field field) {
        if (product == null) {
            return null;
        }
        GenericRecord p = new GenericData.Record(nonNull(field.schema()));
        p.put("productId", product.getProductId());
        p.put("name", product.getName());
        p.put("category", product.getCategory());
        p.put("listPriceMinor", product.getListPriceMinor());
        return p;
    }

    private static boolean customer(CustomerChange change, GenericRecord row) {
        if (change.getTsMs() == null) {
            return false;
        }
        row.put("op", change.getOp().name());
        row.put("before", customer(change.getBefore(), row.getSchema().getField("before")));
        row.put("after", customer(change.getAfter(), row.getSchema().getField("after")));
        row.put("ts_ms", change.getTsMs());
        return true;
    }

    private static GenericRecord customer(Customer customer, Schema.Field field) {
        if (customer == null) {
            return null;
        }
        GenericRecord c = new GenericData.Record(nonNull(field.schema()));
        c.put("customerId", customer.getCustomerId());
        c.put("segment", customer.getSegment());
        c.put("region", customer.getRegion());
        return c;
    }

    /** The non-null branch of a nullable union, or the schema itself. */
    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream()
                .filter(s -> s.getType() != Schema.Type.NULL)
                .findFirst()
                .orElseThrow();
    }
}
