package io.tidemark.common.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;

/**
 * The registry of every record type Tidemark writes to or reads from Kafka, with the earlier
 * versions of each schema that readers must still resolve.
 *
 * <p>Earlier versions live on the classpath as {@code history/<Name>/v<N>.avsc} and are listed in
 * {@code history/index.txt} (a jar cannot be listed reliably). Adding a field with a default and
 * keeping the old schema there is how a schema evolves without breaking readers of old topics.
 */
public final class TidemarkSchemas {

    private static final Map<String, Schema> CURRENT = new LinkedHashMap<>();
    private static final Map<String, Class<? extends SpecificRecord>> CLASSES =
            new LinkedHashMap<>();
    private static final Map<String, List<Schema>> HISTORY = new LinkedHashMap<>();
    private static final Map<Long, Schema> BY_FINGERPRINT = new LinkedHashMap<>();

    static {
        register(Click.class, Click.getClassSchema());
        register(Order.class, Order.getClassSchema());
        register(ProductChange.class, ProductChange.getClassSchema());
        register(CustomerChange.class, CustomerChange.getClassSchema());
        register(Heartbeat.class, Heartbeat.getClassSchema());
        register(UserSession.class, UserSession.getClassSchema());
        register(EnrichedOrder.class, EnrichedOrder.getClassSchema());
        register(RevenueAggregate.class, RevenueAggregate.getClassSchema());
        register(ErrorEnvelope.class, ErrorEnvelope.getClassSchema());
        loadHistory();
    }

    private TidemarkSchemas() {}

    private static void register(Class<? extends SpecificRecord> cls, Schema schema) {
        CURRENT.put(schema.getName(), schema);
        CLASSES.put(schema.getName(), cls);
        HISTORY.put(schema.getName(), new ArrayList<>());
        BY_FINGERPRINT.put(fingerprint(schema), schema);
    }

    private static void loadHistory() {
        InputStream index = resource("history/index.txt");
        if (index == null) {
            return;
        }
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                Schema schema = parse("history/" + line);
                List<Schema> versions = HISTORY.get(schema.getName());
                if (versions == null) {
                    throw new IllegalStateException(
                            "history/"
                                    + line
                                    + " is a version of unknown type "
                                    + schema.getName());
                }
                versions.add(schema);
                BY_FINGERPRINT.putIfAbsent(fingerprint(schema), schema);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema parse(String path) {
        try (InputStream in = resource(path)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + path);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String path) {
        return TidemarkSchemas.class.getClassLoader().getResourceAsStream(path);
    }

    /** The 64-bit CRC fingerprint the single-object encoding puts in its header. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** The current schema of a type by simple name, e.g. {@code Click}. */
    public static Schema schema(String name) {
        Schema schema = CURRENT.get(name);
        if (schema == null) {
            throw new IllegalArgumentException(
                    "Unknown record type '" + name + "'; known types: " + CURRENT.keySet());
        }
        return schema;
    }

    /** Simple names of all record types, in a fixed order. */
    public static List<String> typeNames() {
        return List.copyOf(CURRENT.keySet());
    }

    public static Class<? extends SpecificRecord> recordClass(String name) {
        schema(name);
        return CLASSES.get(name);
    }

    /** Earlier schema versions of a type that readers still resolve, oldest first. */
    public static List<Schema> history(String name) {
        schema(name);
        return Collections.unmodifiableList(HISTORY.get(name));
    }

    /** Any known schema (current or historical) by its fingerprint. */
    public static Optional<Schema> byFingerprint(long fingerprint) {
        return Optional.ofNullable(BY_FINGERPRINT.get(fingerprint));
    }
}
