package io.tidemark.jobs.sessionization.reference;

import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.schemas.SingleObjectCodec;
import io.tidemark.common.schemas.TidemarkSchemas;
import io.tidemark.common.testing.scenario.DlqEntry;
import io.tidemark.common.testing.scenario.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An independent, single-threaded reference implementation of the sessionization job's contract:
 * what the job must commit for a given {@code clicks} topic. It shares no code with the job or the
 * Tidemark runtime and uses no Flink; it reads the topic contents exactly as {@link
 * JsonLinesLoader#toRecords} produces them (partition, key, value bytes, record timestamp, in write
 * order, so the offset of a record is its position among the records of its partition) and applies
 * the rules directly, in the most literal way:
 *
 * <ol>
 *   <li><b>Validation</b> (DESIGN.md §4 "Bad input", §2 DLQ): every record that fails one of these
 *       checks, tried in this order, goes to the DLQ with that reason and plays no further part —
 *       in particular it never raises a partition's maximum (§1, "Records that fail validation
 *       never advance the watermark"):
 *       <ol>
 *         <li>{@code DESERIALIZATION_FAILED}: null or empty value, no Avro single-object header, or
 *             a body that does not decode with its writer schema;
 *         <li>{@code SCHEMA_MISMATCH}: a single-object value of any type other than Click (current
 *             or historical) or Heartbeat, known or not;
 *         <li>{@code MISSING_KEY}: a Click with a null or empty key (Heartbeats need no key);
 *         <li>{@code MISSING_EVENT_TIME}: a Click without event time;
 *         <li>{@code EVENT_TIME_SKEW}: event time more than 1 h ahead of the Kafka record timestamp
 *             (Clicks and Heartbeats alike: a far-future heartbeat would make the rest of its
 *             partition late just as a far-future click would);
 *         <li>{@code INVALID_FIELD}: a Click with an empty {@code eventId} or {@code userId}.
 *       </ol>
 *   <li><b>Deterministic lateness</b> (§1, "the core rule"), per source partition in offset order:
 *       a click at {@code (p, o)} is late ⇔ {@code eventTime < max(p, offsets < o) − B}, where the
 *       maximum runs over the event times of the earlier valid clicks and heartbeats of {@code p}
 *       that were not late and starts at −∞. Late clicks go to the late topic with reason {@code
 *       LATE} and do not raise the maximum. Heartbeats are never late: they raise the maximum and
 *       are then always dropped; a heartbeat behind the maximum changes nothing and never reaches
 *       the late topic.
 *   <li><b>Dedup</b> by {@code eventId} (§1, "Duplicates ... are dropped"): of the on-time clicks,
 *       the first copy of each {@code eventId} is kept, later ones dropped, with no expiry: copies
 *       are identical, so which copy is kept does not matter, and a copy the lateness rule accepts
 *       must never count twice.
 *   <li><b>Session windows</b> per {@code userId} (§2, gap {@code G}, default 30 min): the kept
 *       clicks of a user, sorted by event time, form one session as long as consecutive event times
 *       are at most {@code G} apart ({@code ≤}: touching windows merge); a larger gap starts a new
 *       session. With bounded input every session is emitted.
 *   <li><b>Output</b> (§1, "Every result key and id is derived from data"): one UserSession per
 *       session, {@code sessionId = userId + "@" + ISO-8601 start with millis}, start/end = min/max
 *       event time, {@code durationMs = end − start}, counts per click type, {@code products} the
 *       sorted distinct non-null product ids, {@code converted = checkouts > 0}; written as
 *       canonical JSON ({@link AvroJson#canonical}) and sorted by key ({@code sessionId}), as the
 *       committed-output reader returns the topic.
 * </ol>
 *
 * <p>Interleaving of partitions, parallelism, execution mode and timing do not exist here: the
 * model is the "pure function of the input topic" that DESIGN.md §1 promises, and the ITCases check
 * the job against it.
 */
public final class SessionReferenceModel {

    /** The default out-of-orderness bound B. */
    public static final long DEFAULT_BOUND_MS = 2_000;

    /** The default session gap G. */
    public static final long DEFAULT_GAP_MS = Duration.ofMinutes(30).toMillis();

    /** The default maximum skew of event time ahead of the record timestamp. */
    public static final long DEFAULT_MAX_SKEW_AHEAD_MS = Duration.ofHours(1).toMillis();

    private static final Schema SESSION = TidemarkSchemas.schema("UserSession");

    private final long boundMs;
    private final long gapMs;
    private final long maxSkewAheadMs;

    private SessionReferenceModel(long boundMs, long gapMs, long maxSkewAheadMs) {
        if (boundMs < 0 || gapMs <= 0 || maxSkewAheadMs < 0) {
            throw new IllegalArgumentException(
                    "bound " + boundMs + ", gap " + gapMs + ", skew " + maxSkewAheadMs);
        }
        this.boundMs = boundMs;
        this.gapMs = gapMs;
        this.maxSkewAheadMs = maxSkewAheadMs;
    }

    /** The model with the job's defaults: B = 2 s, G = 30 min, skew 1 h. */
    public static SessionReferenceModel withDefaults() {
        return new SessionReferenceModel(
                DEFAULT_BOUND_MS, DEFAULT_GAP_MS, DEFAULT_MAX_SKEW_AHEAD_MS);
    }

    public static SessionReferenceModel of(long boundMs, long gapMs, long maxSkewAheadMs) {
        return new SessionReferenceModel(boundMs, gapMs, maxSkewAheadMs);
    }

    /**
     * The expected result of JSON lines loaded into a {@code clicks} topic of that many partitions.
     */
    public Result run(List<String> lines, int partitions) {
        return run(JsonLinesLoader.toRecords(lines, "model-input", "clicks", "Click", partitions));
    }

    /** The expected result of a topic holding {@code records}, each partition in list order. */
    public Result run(List<ProducerRecord<byte[], byte[]>> records) {
        Map<Integer, Long> nextOffset = new HashMap<>();
        Map<Integer, Long> maxEventTime = new HashMap<>(); // absent = −∞
        SortedSet<Position> late = new TreeSet<>();
        SortedSet<DlqEntry> dlq = new TreeSet<>();
        Set<String> seenEventIds = new HashSet<>();
        Map<String, List<ClickFields>> clicksByUser = new HashMap<>();
        long heartbeats = 0;
        long duplicates = 0;
        long onTimeClicks = 0;

        // Partitions are independent, and the list keeps each partition's records in offset
        // order, so one pass in list order applies the rules partition by partition.
        for (ProducerRecord<byte[], byte[]> record : records) {
            int partition = record.partition();
            long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
            Position position = new Position(partition, offset);

            Parsed parsed = parse(record);
            if (parsed.reason != null) {
                dlq.add(new DlqEntry(position, parsed.reason));
                continue;
            }
            Long max = maxEventTime.get(partition);
            if (max != null && parsed.eventTime < max - boundMs && parsed.click != null) {
                late.add(position);
                continue;
            }
            maxEventTime.put(
                    partition, max == null ? parsed.eventTime : Math.max(max, parsed.eventTime));
            if (parsed.click == null) {
                heartbeats++;
                continue;
            }
            onTimeClicks++;
            if (!seenEventIds.add(parsed.click.eventId)) {
                duplicates++;
                continue;
            }
            clicksByUser
                    .computeIfAbsent(parsed.click.userId, u -> new ArrayList<>())
                    .add(parsed.click);
        }

        TreeMap<String, String> sessionsById = new TreeMap<>();
        for (Map.Entry<String, List<ClickFields>> user : clicksByUser.entrySet()) {
            for (String line : sessionsOf(user.getKey(), user.getValue())) {
                String sessionId = sessionIdOf(line);
                if (sessionsById.put(sessionId, line) != null) {
                    throw new IllegalStateException("two sessions with id " + sessionId);
                }
            }
        }
        Stats stats =
                new Stats(
                        records.size(),
                        dlq.size(),
                        late.size(),
                        heartbeats,
                        onTimeClicks,
                        duplicates,
                        sessionsById.size());
        return new Result(List.copyOf(sessionsById.values()), late, dlq, stats);
    }

    /** Sessions of one user, as canonical lines. */
    private List<String> sessionsOf(String userId, List<ClickFields> clicks) {
        List<ClickFields> sorted = new ArrayList<>(clicks);
        sorted.sort(Comparator.comparingLong(c -> c.eventTime));
        List<String> lines = new ArrayList<>();
        List<ClickFields> current = new ArrayList<>();
        for (ClickFields click : sorted) {
            if (!current.isEmpty()
                    && click.eventTime - current.get(current.size() - 1).eventTime > gapMs) {
                lines.add(sessionLine(userId, current));
                current = new ArrayList<>();
            }
            current.add(click);
        }
        if (!current.isEmpty()) {
            lines.add(sessionLine(userId, current));
        }
        return lines;
    }

    private static String sessionLine(String userId, List<ClickFields> clicks) {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        long pageViews = 0;
        long productViews = 0;
        long addToCarts = 0;
        long checkouts = 0;
        TreeSet<String> products = new TreeSet<>();
        for (ClickFields click : clicks) {
            start = Math.min(start, click.eventTime);
            end = Math.max(end, click.eventTime);
            switch (click.type) {
                case "PAGE_VIEW" -> pageViews++;
                case "PRODUCT_VIEW" -> productViews++;
                case "ADD_TO_CART" -> addToCarts++;
                case "CHECKOUT" -> checkouts++;
                default -> throw new IllegalStateException("unknown click type " + click.type);
            }
            if (click.productId != null) {
                products.add(click.productId);
            }
        }
        GenericRecord session = new GenericData.Record(SESSION);
        session.put("sessionId", userId + "@" + AvroJson.formatInstant(start));
        session.put("userId", userId);
        session.put("start", start);
        session.put("end", end);
        session.put("durationMs", end - start);
        session.put("events", (long) clicks.size());
        session.put("pageViews", pageViews);
        session.put("productViews", productViews);
        session.put("addToCarts", addToCarts);
        session.put("checkouts", checkouts);
        session.put("products", new ArrayList<>(products));
        session.put("converted", checkouts > 0);
        return AvroJson.canonical(AvroJson.toJson(session));
    }

    private static String sessionIdOf(String canonicalLine) {
        try {
            return AvroJson.MAPPER.readTree(canonicalLine).get("sessionId").textValue();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Decodes and validates one record, in the order of checks of the Javadoc. */
    private Parsed parse(ProducerRecord<byte[], byte[]> record) {
        byte[] value = record.value();
        long fingerprint = SingleObjectCodec.fingerprintOf(value);
        if (fingerprint == 0L) {
            return Parsed.bad(ReasonCode.DESERIALIZATION_FAILED);
        }
        Optional<Schema> writer = TidemarkSchemas.byFingerprint(fingerprint);
        String typeName = writer.map(Schema::getName).orElse(null);
        if (!"Click".equals(typeName) && !"Heartbeat".equals(typeName)) {
            return Parsed.bad(ReasonCode.SCHEMA_MISMATCH);
        }
        GenericRecord decoded;
        try {
            decoded = SingleObjectCodec.decodeGeneric(value);
        } catch (IllegalArgumentException e) {
            return Parsed.bad(ReasonCode.DESERIALIZATION_FAILED);
        }
        long timestamp = record.timestamp() == null ? -1 : record.timestamp();
        if ("Heartbeat".equals(typeName)) {
            long eventTime = (Long) decoded.get("eventTime");
            if (skewed(eventTime, timestamp)) {
                return Parsed.bad(ReasonCode.EVENT_TIME_SKEW);
            }
            return Parsed.heartbeat(eventTime);
        }
        if (record.key() == null || record.key().length == 0) {
            return Parsed.bad(ReasonCode.MISSING_KEY);
        }
        Object eventTime = decoded.get("eventTime");
        if (eventTime == null) {
            return Parsed.bad(ReasonCode.MISSING_EVENT_TIME);
        }
        long eventTimeMs = (Long) eventTime;
        if (skewed(eventTimeMs, timestamp)) {
            return Parsed.bad(ReasonCode.EVENT_TIME_SKEW);
        }
        String eventId = text(decoded, "eventId");
        String userId = text(decoded, "userId");
        if (eventId == null || eventId.isEmpty() || userId == null || userId.isEmpty()) {
            return Parsed.bad(ReasonCode.INVALID_FIELD);
        }
        ClickFields click =
                new ClickFields(
                        eventId,
                        userId,
                        eventTimeMs,
                        text(decoded, "type"),
                        text(decoded, "productId"));
        return Parsed.click(click);
    }

    private boolean skewed(long eventTime, long recordTimestamp) {
        return recordTimestamp >= 0 && eventTime - recordTimestamp > maxSkewAheadMs;
    }

    private static String text(GenericRecord record, String field) {
        if (record.getSchema().getField(field) == null) {
            return null;
        }
        Object value = record.get(field);
        return value == null ? null : value.toString();
    }

    private record ClickFields(
            String eventId, String userId, long eventTime, String type, String productId) {}

    private record Parsed(ReasonCode reason, long eventTime, ClickFields click) {
        static Parsed bad(ReasonCode reason) {
            return new Parsed(reason, 0, null);
        }

        static Parsed heartbeat(long eventTime) {
            return new Parsed(null, eventTime, null);
        }

        static Parsed click(ClickFields click) {
            return new Parsed(null, click.eventTime(), click);
        }
    }

    /**
     * What the job must commit.
     *
     * @param output canonical UserSession lines sorted by sessionId
     * @param late positions of the clicks the lateness rule rejects
     * @param dlq positions and reasons of the records validation rejects
     * @param stats counts, for assertions that the input exercised every rule
     */
    public record Result(
            List<String> output, SortedSet<Position> late, SortedSet<DlqEntry> dlq, Stats stats) {

        public Result {
            output = List.copyOf(output);
            late = Collections.unmodifiableSortedSet(new TreeSet<>(late));
            dlq = Collections.unmodifiableSortedSet(new TreeSet<>(dlq));
        }

        /** DLQ entries counted per reason. */
        public Map<ReasonCode, Long> dlqReasons() {
            Map<ReasonCode, Long> byReason = new TreeMap<>();
            dlq.forEach(entry -> byReason.merge(entry.reasonCode(), 1L, Long::sum));
            return byReason;
        }
    }

    /**
     * Counts of what the model saw.
     *
     * @param records records in the topic
     * @param dlq records rejected by validation
     * @param late clicks rejected by the lateness rule
     * @param heartbeats heartbeats accepted (and dropped)
     * @param onTimeClicks clicks accepted by the lateness rule, duplicates included
     * @param duplicates on-time clicks dropped as copies of an earlier one
     * @param sessions sessions emitted
     */
    public record Stats(
            long records,
            long dlq,
            long late,
            long heartbeats,
            long onTimeClicks,
            long duplicates,
            long sessions) {}
}
