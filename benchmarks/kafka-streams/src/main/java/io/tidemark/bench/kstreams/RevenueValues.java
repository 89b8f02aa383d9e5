package io.tidemark.bench.kstreams;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The values the revenue topology passes between its stages, with compact hand-written binary
 * serdes (as {@link SessionAgg} has): cheaper than Avro for what is only ever read by this
 * application.
 */
final class RevenueValues {

    private RevenueValues() {}

    /** One order line on its way through the joins; {@code category} is set by the product join. */
    static final class Line {
        String orderId;
        int lineCount;
        String currency;
        String region;
        String productId;
        String category;
        long quantity;
        long amountMinor;

        Line withCategory(String found) {
            Line l = copy();
            l.category = found == null ? KafkaStreamsRevenue.UNKNOWN : found;
            return l;
        }

        private Line copy() {
            Line l = new Line();
            l.orderId = orderId;
            l.lineCount = lineCount;
            l.currency = currency;
            l.region = region;
            l.productId = productId;
            l.category = category;
            l.quantity = quantity;
            l.amountMinor = amountMinor;
            return l;
        }

        /** The (category, region, currency) group of the line. */
        String group() {
            return category + "|" + region + "|" + currency;
        }
    }

    /** An order's lines collected until all arrived. */
    static final class Lines {
        final List<Line> lines = new ArrayList<>(4);
    }

    /** Three exact sums in minor units. */
    static final class Sums {
        long orders;
        long units;
        long revenueMinor;

        Sums add(long orders, long units, long revenueMinor) {
            this.orders = Math.addExact(this.orders, orders);
            this.units = Math.addExact(this.units, units);
            this.revenueMinor = Math.addExact(this.revenueMinor, revenueMinor);
            return this;
        }
    }

    static Serde<Line> lineSerde() {
        return Serdes.serdeFrom(
                serializer(RevenueValues::writeLine), deserializer(RevenueValues::readLine));
    }

    static Serde<Lines> linesSerde() {
        return Serdes.serdeFrom(
                serializer(
                        (lines, out) -> {
                            out.writeInt(lines.lines.size());
                            for (Line line : lines.lines) {
                                writeLine(line, out);
                            }
                        }),
                deserializer(
                        in -> {
                            Lines lines = new Lines();
                            int n = in.readInt();
                            for (int i = 0; i < n; i++) {
                                lines.lines.add(readLine(in));
                            }
                            return lines;
                        }));
    }

    static Serde<Sums> sumsSerde() {
        return Serdes.serdeFrom(
                serializer(
                        (sums, out) -> {
                            out.writeLong(sums.orders);
                            out.writeLong(sums.units);
                            out.writeLong(sums.revenueMinor);
                        }),
                deserializer(in -> new Sums().add(in.readLong(), in.readLong(), in.readLong())));
    }

    private static void writeLine(Line line, DataOutputStream out) throws IOException {
        out.writeUTF(line.orderId);
        out.writeInt(line.lineCount);
        out.writeUTF(line.currency);
        out.writeUTF(line.region);
        out.writeUTF(line.productId);
        out.writeUTF(line.category == null ? "" : line.category);
        out.writeLong(line.quantity);
        out.writeLong(line.amountMinor);
    }

    private static Line readLine(DataInputStream in) throws IOException {
        Line line = new Line();
        line.orderId = in.readUTF();
        line.lineCount = in.readInt();
        line.currency = in.readUTF();
        line.region = in.readUTF();
        line.productId = in.readUTF();
        String category = in.readUTF();
        line.category = category.isEmpty() ? null : category;
        line.quantity = in.readLong();
        line.amountMinor = in.readLong();
        return line;
    }

    private interface Writer<T> {
        void write(T value, DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static <T> Serializer<T> serializer(Writer<T> writer) {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                writer.write(value, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        };
    }

    private static <T> Deserializer<T> deserializer(Reader<T> reader) {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                return reader.read(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
