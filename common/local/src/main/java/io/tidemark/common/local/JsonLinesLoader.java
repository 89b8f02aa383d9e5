package io.tidemark.common.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.schemas.SingleObjectCodec;
import io.tidemark.common.schemas.TidemarkSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Loads JSON Lines into a Kafka topic as Avro single-object encoded values, in file order.
 *
 * <p>Each line is a JSON object of the topic's record type (see {@link AvroJson} for the mapping)
 * plus optional top-level control fields:
 *
 * <ul>
 *   <li>{@code _partition}: the partition to write to. Without it the key decides, with Kafka's
 *       murmur2 rule ({@link KeyPartitioner}); a null key goes to partition 0.
 *   <li>{@code _key}: the key (a string, or JSON null for no key) instead of the type's default
 *       ({@link RecordDefaults#defaultKey}). Keys are UTF-8 bytes.
 *   <li>{@code _timestamp}: the Kafka record timestamp (ISO-8601 or epoch millis) instead of the
 *       record's event time ({@code eventTime}, or {@code ts_ms} for change events). A line with
 *       neither (a {@code _raw} value, a record whose event time is null) gets the timestamp of the
 *       nearest line above it that has one, or else of the nearest line below; 0 when no line of
 *       the input has a time. The same input always gives the same timestamps.
 *   <li>{@code _raw} / {@code _rawBase64}: the exact value bytes (UTF-8 text / base64), not Avro;
 *       for malformed records.
 *   <li>{@code _type}: encode this line as another record type, e.g. {@code Heartbeat}, or {@code
 *       Order} on a clicks topic to produce a schema mismatch. A Heartbeat without {@code
 *       _partition} is written to every partition, in partition order, since each partition needs
 *       its own to advance.
 * </ul>
 *
 * <p>Blank lines are skipped (but counted for line numbers). Any other problem with a line (not a
 * JSON object, a value that does not fit the record type such as {@code null} in a non-null field,
 * an unknown control field: a typo such as {@code _partiton} would silently change routing) makes
 * it a {@link BadLine}. By default a load with bad lines fails with a {@link BadLinesException}
 * naming each as {@code <source>:<line>: <reason>}, before anything is written; with a DLQ topic,
 * each bad line is written there as an {@code ErrorEnvelope} holding the line's bytes (see {@link
 * BadLine#envelope}) and the good lines are loaded.
 *
 * <p>The producer is idempotent with one request in flight, so each partition receives its records
 * exactly once and in file order; the same file always gives the same topic contents.
 */
public final class JsonLinesLoader {

    public static final String PARTITION = "_partition";
    public static final String KEY = "_key";
    public static final String TIMESTAMP = "_timestamp";
    public static final String RAW = "_raw";
    public static final String RAW_BASE64 = "_rawBase64";
    public static final String TYPE = "_type";
    public static final Set<String> CONTROL_FIELDS =
            Set.of(PARTITION, KEY, TIMESTAMP, RAW, RAW_BASE64, TYPE);

    private static final String HEARTBEAT = "Heartbeat";

    private JsonLinesLoader() {}

    /** Loads a JSON Lines file (UTF-8) into an existing topic; fails on any bad line. */
    public static LoadResult load(
            Path file,
            String topic,
            String type,
            String bootstrapServers,
            Properties extraClientProps) {
        return load(file, topic, type, bootstrapServers, extraClientProps, null);
    }

    /**
     * Loads a JSON Lines file (UTF-8) into an existing topic.
     *
     * @param dlqTopic where bad lines go as error envelopes (created with one partition and {@code
     *     retention.ms=-1} when missing); null to fail the load on any bad line instead
     */
    public static LoadResult load(
            Path file,
            String topic,
            String type,
            String bootstrapServers,
            Properties extraClientProps,
            String dlqTopic) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return load(
                lines, file.toString(), topic, type, bootstrapServers, extraClientProps, dlqTopic);
    }

    /**
     * Loads JSON lines into an existing topic; {@code source} names them in error messages.
     *
     * @throws IllegalArgumentException on a malformed line ({@link BadLinesException}) or a missing
     *     topic; nothing is written
     */
    public static LoadResult load(
            List<String> lines,
            String source,
            String topic,
            String type,
            String bootstrapServers,
            Properties extraClientProps) {
        return load(lines, source, topic, type, bootstrapServers, extraClientProps, null);
    }

    /**
     * Loads JSON lines into an existing topic; {@code source} names them in error messages.
     *
     * @param dlqTopic where bad lines go as error envelopes, before the good lines are written
     *     (created with one partition and {@code retention.ms=-1} when missing); null to fail the
     *     load on any bad line instead
     * @throws BadLinesException when there are bad lines and no {@code dlqTopic}; nothing is
     *     written
     * @throws IllegalArgumentException when the topic is missing
     */
    public static LoadResult load(
            List<String> lines,
            String source,
            String topic,
            String type,
            String bootstrapServers,
            Properties extraClientProps,
            String dlqTopic) {
        Properties props = clientProps(bootstrapServers, extraClientProps);
        int partitions = partitionCount(props, topic);
        Parsed parsed = parse(lines, source, topic, type, partitions);
        if (!parsed.badLines().isEmpty()) {
            if (dlqTopic == null) {
                throw new BadLinesException(parsed.badLines());
            }
            sendToDlq(parsed.badLines(), topic, dlqTopic, props);
        }
        if (!parsed.records().isEmpty()) {
            send(parsed.records(), props);
        }
        SortedMap<Integer, Long> counts = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            counts.put(p, 0L);
        }
        parsed.records().forEach(r -> counts.merge(r.partition(), 1L, Long::sum));
        return new LoadResult(
                topic, counts, parsed.badLines().isEmpty() ? null : dlqTopic, parsed.badLines());
    }

    /**
     * The records a load writes, in the order it writes them; every record has its partition and
     * timestamp set. Pure: tests and reference models use it to know each record's partition and
     * its position within that partition.
     *
     * @throws IllegalArgumentException {@code "<source>:<line>: <reason>"} of the first bad line
     */
    public static List<ProducerRecord<byte[], byte[]>> toRecords(
            List<String> lines, String source, String topic, String type, int partitions) {
        Parsed parsed = parse(lines, source, topic, type, partitions);
        if (!parsed.badLines().isEmpty()) {
            throw new IllegalArgumentException(parsed.badLines().get(0).message());
        }
        return parsed.records();
    }

    /**
     * The records of the good lines, in the order a load writes them, and the bad lines, in file
     * order.
     */
    public record Parsed(List<ProducerRecord<byte[], byte[]>> records, List<BadLine> badLines) {}

    /**
     * What {@link #toRecords} does without failing: every line becomes records or a {@link
     * BadLine}. Pure.
     */
    public static Parsed parse(
            List<String> lines, String source, String topic, String type, int partitions) {
        TidemarkSchemas.schema(type); // fail early on an unknown type
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        int n = lines.size();
        JsonNode[] nodes = new JsonNode[n];
        String[] notJson = new String[n];
        Long[] ownTimes = new Long[n];
        for (int i = 0; i < n; i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                nodes[i] = parseObject(lines.get(i));
                ownTimes[i] = ownTimestamp(nodes[i]);
            } catch (IllegalArgumentException e) {
                notJson[i] = e.getMessage();
            }
        }
        long[] defaults = defaultTimestamps(ownTimes);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(n);
        List<BadLine> bad = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            if (notJson[i] != null) {
                bad.add(
                        new BadLine(
                                source,
                                i + 1,
                                line,
                                ReasonCode.DESERIALIZATION_FAILED,
                                notJson[i],
                                defaults[i],
                                null));
                continue;
            }
            try {
                convertLine(nodes[i], topic, type, partitions, defaults[i], records);
            } catch (IllegalArgumentException e) {
                bad.add(
                        new BadLine(
                                source,
                                i + 1,
                                line,
                                ReasonCode.INVALID_FIELD,
                                e.getMessage(),
                                ownTimes[i] != null ? ownTimes[i] : defaults[i],
                                eventTimeOrNull(nodes[i])));
            }
        }
        return new Parsed(List.copyOf(records), List.copyOf(bad));
    }

    /**
     * The partitions the lines need: the largest {@code _partition} they set, plus one; empty when
     * no line sets one (lines that are not JSON objects, or set no valid number, are ignored).
     */
    public static OptionalInt partitionsNeeded(List<String> lines) {
        int max = -1;
        for (String line : lines) {
            if (line.isBlank() || !line.contains(PARTITION)) {
                continue;
            }
            try {
                JsonNode partition = parseObject(line).get(PARTITION);
                if (partition != null
                        && partition.isIntegralNumber()
                        && partition.canConvertToInt()) {
                    max = Math.max(max, partition.intValue());
                }
            } catch (IllegalArgumentException e) {
                // a bad line; the load reports it
            }
        }
        return max < 0 ? OptionalInt.empty() : OptionalInt.of(max + 1);
    }

    /**
     * The Kafka timestamp of each line that has none of its own: that of the nearest line above
     * with one, else of the nearest line below, else 0.
     */
    private static long[] defaultTimestamps(Long[] ownTimes) {
        long[] defaults = new long[ownTimes.length];
        Long next = null;
        for (int i = ownTimes.length - 1; i >= 0; i--) {
            defaults[i] = next == null ? 0L : next;
            if (ownTimes[i] != null) {
                next = ownTimes[i];
            }
        }
        Long previous = null;
        for (int i = 0; i < ownTimes.length; i++) {
            if (previous != null) {
                defaults[i] = previous;
            }
            if (ownTimes[i] != null) {
                previous = ownTimes[i];
            }
        }
        return defaults;
    }

    /**
     * The line's {@code _timestamp}, else its event time; null when it has neither or either is
     * invalid.
     */
    private static Long ownTimestamp(JsonNode node) {
        try {
            if (node.has(TIMESTAMP)) {
                return RecordDefaults.timestamp(node.get(TIMESTAMP), TIMESTAMP);
            }
            return RecordDefaults.eventTimeMillis(node);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Long eventTimeOrNull(JsonNode node) {
        try {
            return RecordDefaults.eventTimeMillis(node);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void convertLine(
            JsonNode node,
            String topic,
            String topicType,
            int partitions,
            long defaultTimestamp,
            List<ProducerRecord<byte[], byte[]>> out) {
        rejectUnknownControlFields(node);
        String type = node.has(TYPE) ? lineType(node.get(TYPE)) : topicType;
        byte[] value = value(node, type);
        String key = node.has(KEY) ? key(node.get(KEY)) : RecordDefaults.defaultKey(type, node);
        long timestamp = timestamp(node, defaultTimestamp);
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        if (node.has(PARTITION)) {
            int partition = partition(node.get(PARTITION), partitions);
            out.add(new ProducerRecord<>(topic, partition, timestamp, keyBytes, value));
        } else if (HEARTBEAT.equals(type)) {
            for (int p = 0; p < partitions; p++) {
                out.add(new ProducerRecord<>(topic, p, timestamp, keyBytes, value));
            }
        } else {
            int partition = KeyPartitioner.partitionFor(key, partitions);
            out.add(new ProducerRecord<>(topic, partition, timestamp, keyBytes, value));
        }
    }

    private static JsonNode parseObject(String line) {
        JsonNode node;
        try {
            node = AvroJson.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object but got " + node);
        }
        return node;
    }

    private static void rejectUnknownControlFields(JsonNode node) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.startsWith("_") && !CONTROL_FIELDS.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown control field "
                                + name
                                + "; known control fields: "
                                + new TreeSet<>(CONTROL_FIELDS));
            }
        }
    }

    private static String lineType(JsonNode node) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException(TYPE + ": expected a type name but got " + node);
        }
        TidemarkSchemas.schema(node.textValue());
        return node.textValue();
    }

    private static byte[] value(JsonNode node, String type) {
        if (node.has(RAW) && node.has(RAW_BASE64)) {
            throw new IllegalArgumentException(
                    "use either " + RAW + " or " + RAW_BASE64 + ", not both");
        }
        if (node.has(RAW)) {
            JsonNode raw = node.get(RAW);
            if (!raw.isTextual()) {
                throw new IllegalArgumentException(RAW + ": expected a string but got " + raw);
            }
            return raw.textValue().getBytes(StandardCharsets.UTF_8);
        }
        if (node.has(RAW_BASE64)) {
            JsonNode raw = node.get(RAW_BASE64);
            try {
                return Base64.getDecoder().decode(raw.textValue());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(
                        RAW_BASE64 + ": expected base64 text but got " + raw);
            }
        }
        Schema schema = TidemarkSchemas.schema(type);
        GenericRecord record;
        try {
            record = AvroJson.fromJson(node, schema);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid " + type + ": " + e.getMessage(), e);
        }
        return SingleObjectCodec.encodeGeneric(record, schema);
    }

    private static String key(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(KEY + ": expected a string or null but got " + node);
        }
        return node.textValue();
    }

    private static long timestamp(JsonNode node, long defaultTimestamp) {
        if (node.has(TIMESTAMP)) {
            return RecordDefaults.timestamp(node.get(TIMESTAMP), TIMESTAMP);
        }
        Long eventTime = RecordDefaults.eventTimeMillis(node);
        return eventTime == null ? defaultTimestamp : eventTime;
    }

    private static int partition(JsonNode node, int partitions) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException(
                    PARTITION + ": expected a partition number but got " + node);
        }
        int partition = node.intValue();
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException(
                    PARTITION
                            + ": "
                            + partition
                            + " is not a partition of the topic (it has "
                            + partitions
                            + ")");
        }
        return partition;
    }

    private static Properties clientProps(String bootstrapServers, Properties extra) {
        Properties props = new Properties();
        if (extra != null) {
            props.putAll(extra);
        }
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    private static int partitionCount(Properties clientProps, String topic) {
        try (Admin admin = Admin.create(clientProps)) {
            return KafkaTopics.partitionCount(admin, topic);
        }
    }

    private static void sendToDlq(
            List<BadLine> badLines, String topic, String dlqTopic, Properties props) {
        try (Admin admin = Admin.create(props)) {
            KafkaTopics.createIfMissing(
                    admin, dlqTopic, 1, Optional.empty(), Map.of("retention.ms", "-1"));
        }
        SingleObjectCodec<ErrorEnvelope> codec = SingleObjectCodec.of(ErrorEnvelope.class);
        List<ProducerRecord<byte[], byte[]>> envelopes = new ArrayList<>(badLines.size());
        for (BadLine bad : badLines) {
            ErrorEnvelope envelope = bad.envelope(topic);
            envelopes.add(
                    new ProducerRecord<>(
                            dlqTopic,
                            null,
                            envelope.getRecordTimestamp().toEpochMilli(),
                            bad.location().getBytes(StandardCharsets.UTF_8),
                            codec.encode(envelope)));
        }
        send(envelopes, props);
    }

    /**
     * Writes records exactly in the given order (partitions as set on each record), e.g. the output
     * of {@link #toRecords} in another interleaving.
     */
    public static void send(
            List<ProducerRecord<byte[], byte[]>> records,
            String bootstrapServers,
            Properties extraClientProps) {
        if (!records.isEmpty()) {
            send(records, clientProps(bootstrapServers, extraClientProps));
        }
    }

    private static void send(List<ProducerRecord<byte[], byte[]>> records, Properties clientProps) {
        Properties props = new Properties();
        props.putAll(clientProps);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // Order within a partition is the contract: idempotence + one request in flight keep it
        // even across retries.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "10");
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                if (failure.get() != null) {
                    break;
                }
                producer.send(
                        record,
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "writing to " + records.get(0).topic() + " failed: " + failure.get(),
                    failure.get());
        }
    }

    /** A load refused because of bad lines; the message names each (the first ten). */
    public static final class BadLinesException extends IllegalArgumentException {

        private static final int SHOWN = 10;

        private final transient List<BadLine> badLines;

        public BadLinesException(List<BadLine> badLines) {
            super(describe(badLines));
            this.badLines = List.copyOf(badLines);
        }

        public List<BadLine> badLines() {
            return badLines;
        }

        private static String describe(List<BadLine> badLines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < Math.min(SHOWN, badLines.size()); i++) {
                text.append(i == 0 ? "" : "\n").append(badLines.get(i).message());
            }
            if (badLines.size() > SHOWN) {
                text.append("\n... and ").append(badLines.size() - SHOWN).append(" more");
            }
            if (badLines.size() > 1) {
                text.append("\n").append(badLines.size()).append(" bad lines");
            }
            return text.toString();
        }
    }
}
