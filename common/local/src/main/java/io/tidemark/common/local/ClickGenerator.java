package io.tidemark.common.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.ReasonCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A seeded stream of clicks as JSON Lines, ready for {@link JsonLinesLoader}. The same {@link Spec}
 * always gives the same lines; nothing reads the wall clock.
 *
 * <p>Users browse in sessions: bursts of clicks seconds to minutes apart (landing page, product
 * views, add-to-cart, sometimes a checkout), separated by pauses that are usually longer than the
 * 30-minute session gap and sometimes shorter. Every line carries {@code _partition}, the murmur2
 * partition of its key across {@link Spec#partitions()}, so a reference model knows where and in
 * which order each record lands.
 *
 * <p>On top of the {@link Spec#events()} distinct valid clicks, in this order of generation:
 *
 * <ul>
 *   <li>disorder within the bound: a {@link Spec#fractionWithinBound()} of clicks have an event
 *       time up to {@code boundMs} before their position in the stream — never late;
 *   <li>late clicks: a {@link Spec#fractionLate()} of clicks (all but the first of a partition can
 *       be chosen) have an event time further than {@code boundMs} behind the running maximum event
 *       time of their partition, i.e. late by the lateness rule in DESIGN.md;
 *   <li>duplicates: after about a {@link Spec#fractionDuplicates()} of clicks, an identical copy of
 *       a recent click of the same partition that is not late at that point;
 *   <li>bad records: {@link Spec#badPerReason()} of each of {@link #BAD_REASONS}, at seeded
 *       positions; they are recognisable only by content (see {@link #BAD_REASONS});
 *   <li>heartbeats: one per partition at the end, at the maximum valid event time plus {@link
 *       Spec#heartbeatGapMs()}, so every window and session can close.
 * </ul>
 */
public final class ClickGenerator {

    public static final Instant DEFAULT_START = Instant.parse("2026-11-01T00:00:00.000Z");

    /**
     * The bad-record kinds, each made in its own way: DESERIALIZATION_FAILED is a {@code _raw} text
     * value; SCHEMA_MISMATCH an Order ({@code _type}); MISSING_KEY a click with {@code _key:null};
     * MISSING_EVENT_TIME a click with {@code eventTime:null} and a {@code _timestamp};
     * EVENT_TIME_SKEW a click whose event time is 2 h after its {@code _timestamp}; INVALID_FIELD a
     * click with an empty {@code eventId}.
     */
    public static final List<ReasonCode> BAD_REASONS =
            List.of(
                    ReasonCode.DESERIALIZATION_FAILED,
                    ReasonCode.SCHEMA_MISMATCH,
                    ReasonCode.MISSING_KEY,
                    ReasonCode.MISSING_EVENT_TIME,
                    ReasonCode.EVENT_TIME_SKEW,
                    ReasonCode.INVALID_FIELD);

    /**
     * How far ahead of its record timestamp an EVENT_TIME_SKEW click is (the allowed skew is 1 h).
     */
    public static final long SKEW_MS = Duration.ofHours(2).toMillis();

    private static final long SESSION_GAP_MS = Duration.ofMinutes(30).toMillis();
    private static final int DUPLICATE_CANDIDATES = 8;

    private final Spec spec;
    private final SplittableRandom random;
    private final long[] maxEventTime;
    private final List<ArrayDeque<Emitted>> recent;
    private final List<String> out = new ArrayList<>();
    private long nextEventNumber = 1;
    private long maxValidEventTime = Long.MIN_VALUE;

    private ClickGenerator(Spec spec) {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed());
        this.maxEventTime = new long[spec.partitions()];
        Arrays.fill(maxEventTime, Long.MIN_VALUE);
        this.recent = new ArrayList<>();
        for (int p = 0; p < spec.partitions(); p++) {
            recent.add(new ArrayDeque<>());
        }
    }

    /** The JSON lines for {@code spec}. */
    public static List<String> generate(Spec spec) {
        return new ClickGenerator(spec).run();
    }

    private List<String> run() {
        PriorityQueue<User> queue =
                new PriorityQueue<>(
                        Comparator.comparingLong((User u) -> u.nextTime)
                                .thenComparingInt(u -> u.number));
        long start = spec.start().toEpochMilli();
        for (int i = 1; i <= spec.users(); i++) {
            User user = new User(i, Catalog.userId(i), spec.partitions());
            user.nextTime = start + random.nextLong(Duration.ofMinutes(10).toMillis());
            user.clicksLeft = newSessionLength();
            queue.add(user);
        }
        int[] badAfter = badRecordSlots();
        int nextBad = 0;
        List<ReasonCode> badReasons = badReasonOrder();
        for (int i = 0; i < spec.events(); i++) {
            User user = queue.poll();
            long streamTime = user.nextTime;
            emitValidClick(user, streamTime);
            while (nextBad < badAfter.length && badAfter[nextBad] == i) {
                out.add(badRecord(badReasons.get(nextBad), user, streamTime));
                nextBad++;
            }
            scheduleNext(user);
            queue.add(user);
        }
        if (spec.heartbeats() && maxValidEventTime != Long.MIN_VALUE) {
            String eventTime = AvroJson.formatInstant(maxValidEventTime + spec.heartbeatGapMs());
            for (int p = 0; p < spec.partitions(); p++) {
                ObjectNode heartbeat = AvroJson.MAPPER.createObjectNode();
                heartbeat.put("_type", "Heartbeat");
                heartbeat.put("_partition", p);
                heartbeat.put("eventTime", eventTime);
                out.add(write(heartbeat));
            }
        }
        return out;
    }

    private void emitValidClick(User user, long streamTime) {
        int p = user.partition;
        long eventTime = streamTime;
        double dice = random.nextDouble();
        if (dice < spec.fractionLate() && maxEventTime[p] != Long.MIN_VALUE) {
            // Strictly more than B behind the partition's running maximum: late by the rule.
            eventTime =
                    maxEventTime[p]
                            - spec.boundMs()
                            - 1
                            - random.nextLong(Duration.ofMinutes(10).toMillis());
        } else if (dice < spec.fractionLate() + spec.fractionWithinBound() && spec.boundMs() > 0) {
            // The partition maximum is at most streamTime, so going back at most B stays on time.
            eventTime = streamTime - 1 - random.nextLong(spec.boundMs());
        }
        boolean late =
                maxEventTime[p] != Long.MIN_VALUE && eventTime < maxEventTime[p] - spec.boundMs();
        String line = write(clickJson(user, nextEventId(), eventTime, nextClickType(user), p));
        out.add(line);
        maxEventTime[p] = Math.max(maxEventTime[p], eventTime);
        maxValidEventTime = Math.max(maxValidEventTime, eventTime);
        if (!late) {
            ArrayDeque<Emitted> candidates = recent.get(p);
            candidates.addLast(new Emitted(line, eventTime));
            if (candidates.size() > DUPLICATE_CANDIDATES) {
                candidates.removeFirst();
            }
        }
        if (random.nextDouble() < spec.fractionDuplicates()) {
            emitDuplicate(p);
        }
    }

    private void emitDuplicate(int partition) {
        List<Emitted> onTime = new ArrayList<>();
        for (Emitted e : recent.get(partition)) {
            if (e.eventTime >= maxEventTime[partition] - spec.boundMs()) {
                onTime.add(e);
            }
        }
        if (!onTime.isEmpty()) {
            out.add(onTime.get(random.nextInt(onTime.size())).line);
        }
    }

    private ObjectNode clickJson(User user, String eventId, Long eventTime, Step step, int p) {
        ObjectNode click = AvroJson.MAPPER.createObjectNode();
        click.put("_partition", p);
        click.put("eventId", eventId);
        click.put("userId", user.id);
        if (eventTime == null) {
            click.putNull("eventTime");
        } else {
            click.put("eventTime", AvroJson.formatInstant(eventTime));
        }
        click.put("type", step.type);
        click.put("page", step.page);
        if (step.productId == null) {
            click.putNull("productId");
        } else {
            click.put("productId", step.productId);
        }
        return click;
    }

    /** A small per-user funnel: land, browse and view products, add to cart, maybe check out. */
    private Step nextClickType(User user) {
        boolean firstOfSession = user.positionInSession == 0;
        boolean lastOfSession = user.clicksLeft == 1;
        user.positionInSession++;
        if (firstOfSession) {
            user.cart = 0;
            return new Step(
                    "PAGE_VIEW", Catalog.PAGES.get(random.nextInt(Catalog.PAGES.size())), null);
        }
        if (lastOfSession && user.cart > 0 && random.nextDouble() < 0.5) {
            return new Step("CHECKOUT", "/checkout", null);
        }
        double dice = random.nextDouble();
        if (dice < 0.5) {
            user.lastProduct = randomProduct();
            return new Step("PRODUCT_VIEW", "/products/" + user.lastProduct, user.lastProduct);
        }
        if (dice < 0.75 && user.lastProduct != null) {
            user.cart++;
            return new Step("ADD_TO_CART", "/cart", user.lastProduct);
        }
        return new Step("PAGE_VIEW", Catalog.PAGES.get(random.nextInt(Catalog.PAGES.size())), null);
    }

    private void scheduleNext(User user) {
        user.clicksLeft--;
        if (user.clicksLeft > 0) {
            user.nextTime += 5_000 + random.nextLong(175_000);
            return;
        }
        user.clicksLeft = newSessionLength();
        user.positionInSession = 0;
        user.lastProduct = null;
        if (random.nextDouble() < 0.8) {
            // A new session: the pause is longer than the gap.
            user.nextTime +=
                    SESSION_GAP_MS + 60_000 + random.nextLong(Duration.ofHours(3).toMillis());
        } else {
            // A coffee break: shorter than the gap, so by the 30-minute rule the session goes on.
            user.nextTime +=
                    Duration.ofMinutes(5).toMillis()
                            + random.nextLong(Duration.ofMinutes(20).toMillis());
        }
    }

    private int newSessionLength() {
        return 3 + random.nextInt(13);
    }

    private String randomProduct() {
        return Catalog.productId(1 + random.nextInt(spec.products()));
    }

    private String nextEventId() {
        return Catalog.padded("c-", nextEventNumber++, 7);
    }

    /** For each bad record, the index of the valid click it follows; sorted. */
    private int[] badRecordSlots() {
        int count = spec.badPerReason() * BAD_REASONS.size();
        int[] slots = new int[count];
        if (spec.events() == 0) {
            return new int[0];
        }
        for (int i = 0; i < count; i++) {
            slots[i] = random.nextInt(spec.events());
        }
        Arrays.sort(slots);
        return slots;
    }

    /** Each reason badPerReason times, shuffled with the seed. */
    private List<ReasonCode> badReasonOrder() {
        List<ReasonCode> reasons = new ArrayList<>();
        for (ReasonCode reason : BAD_REASONS) {
            for (int i = 0; i < spec.badPerReason(); i++) {
                reasons.add(reason);
            }
        }
        for (int i = reasons.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            reasons.set(i, reasons.set(j, reasons.get(i)));
        }
        return reasons;
    }

    private String badRecord(ReasonCode reason, User user, long streamTime) {
        String timestamp = AvroJson.formatInstant(streamTime);
        Step landing = new Step("PAGE_VIEW", "/", null);
        ObjectNode line;
        switch (reason) {
            case DESERIALIZATION_FAILED:
                line = AvroJson.MAPPER.createObjectNode();
                line.put("_partition", user.partition);
                line.put("_key", user.id);
                line.put("_timestamp", timestamp);
                line.put("_raw", "{\"eventId\": \"" + nextEventId() + "\", truncated");
                return write(line);
            case SCHEMA_MISMATCH:
                line = AvroJson.MAPPER.createObjectNode();
                line.put("_partition", user.partition);
                line.put("_type", "Order");
                line.put("_key", user.id);
                line.put("orderId", Catalog.padded("o-", nextEventNumber++, 7));
                line.put("customerId", user.id);
                line.put("eventTime", timestamp);
                line.put("currency", "EUR");
                ArrayNode lines = line.putArray("lines");
                lines.addObject()
                        .put("productId", randomProduct())
                        .put("quantity", 1)
                        .put("unitPriceMinor", 999L);
                return write(line);
            case MISSING_KEY:
                line = clickJson(user, nextEventId(), streamTime, landing, user.partition);
                line.putNull("_key");
                return write(line);
            case MISSING_EVENT_TIME:
                line = clickJson(user, nextEventId(), null, landing, user.partition);
                line.put("_timestamp", timestamp);
                return write(line);
            case EVENT_TIME_SKEW:
                line =
                        clickJson(
                                user, nextEventId(), streamTime + SKEW_MS, landing, user.partition);
                line.put("_timestamp", timestamp);
                return write(line);
            case INVALID_FIELD:
                line = clickJson(user, "", streamTime, landing, user.partition);
                return write(line);
            default:
                throw new IllegalStateException("no bad record of kind " + reason);
        }
    }

    private static String write(ObjectNode node) {
        try {
            return AvroJson.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class User {
        final int number;
        final String id;
        final int partition;
        long nextTime;
        int clicksLeft;
        int positionInSession;
        int cart;
        String lastProduct;

        User(int number, String id, int partitions) {
            this.number = number;
            this.id = id;
            this.partition = KeyPartitioner.partitionFor(id, partitions);
        }
    }

    private record Step(String type, String page, String productId) {}

    private record Emitted(String line, long eventTime) {}

    /** What to generate; immutable, built with {@link #builder()}. */
    public static final class Spec extends GeneratorSpec {
        private final int events;
        private final int users;
        private final long boundMs;
        private final double fractionWithinBound;
        private final double fractionLate;
        private final double fractionDuplicates;
        private final int badPerReason;

        private Spec(Builder b) {
            super(b);
            this.events = b.events;
            this.users = b.users;
            this.boundMs = b.boundMs;
            this.fractionWithinBound = b.fractionWithinBound;
            this.fractionLate = b.fractionLate;
            this.fractionDuplicates = b.fractionDuplicates;
            this.badPerReason = b.badPerReason;
        }

        public static Builder builder() {
            return new Builder();
        }

        public Builder toBuilder() {
            return new Builder()
                    .seed(seed())
                    .events(events)
                    .users(users)
                    .products(products())
                    .partitions(partitions())
                    .start(start())
                    .boundMs(boundMs)
                    .fractionWithinBound(fractionWithinBound)
                    .fractionLate(fractionLate)
                    .fractionDuplicates(fractionDuplicates)
                    .badPerReason(badPerReason)
                    .heartbeats(heartbeats())
                    .heartbeatGapMs(heartbeatGapMs());
        }

        /** Distinct valid clicks; duplicates, bad records and heartbeats come on top. */
        public int events() {
            return events;
        }

        public int users() {
            return users;
        }

        /** The out-of-orderness bound B of the lateness rule, in milliseconds. */
        public long boundMs() {
            return boundMs;
        }

        public double fractionWithinBound() {
            return fractionWithinBound;
        }

        public double fractionLate() {
            return fractionLate;
        }

        public double fractionDuplicates() {
            return fractionDuplicates;
        }

        public int badPerReason() {
            return badPerReason;
        }

        @Override
        public String toString() {
            return "ClickGenerator.Spec{"
                    + commonFields()
                    + ", events="
                    + events
                    + ", users="
                    + users
                    + ", boundMs="
                    + boundMs
                    + ", fractionWithinBound="
                    + fractionWithinBound
                    + ", fractionLate="
                    + fractionLate
                    + ", fractionDuplicates="
                    + fractionDuplicates
                    + ", badPerReason="
                    + badPerReason
                    + "}";
        }

        /** Defaults: seed 1, 1000 events, 50 users, 100 products, 2 partitions, B = 2 s. */
        public static final class Builder extends GeneratorSpec.Builder<Builder> {
            private int events = 1000;
            private int users = 50;
            private long boundMs = 2000;
            private double fractionWithinBound = 0.2;
            private double fractionLate = 0.02;
            private double fractionDuplicates = 0.01;
            private int badPerReason = 0;

            private Builder() {
                super(100, Duration.ofHours(1).toMillis());
            }

            @Override
            protected Builder self() {
                return this;
            }

            public Builder events(int events) {
                this.events = events;
                return this;
            }

            public Builder users(int users) {
                this.users = users;
                return this;
            }

            public Builder boundMs(long boundMs) {
                this.boundMs = boundMs;
                return this;
            }

            public Builder fractionWithinBound(double fraction) {
                this.fractionWithinBound = fraction;
                return this;
            }

            public Builder fractionLate(double fraction) {
                this.fractionLate = fraction;
                return this;
            }

            public Builder fractionDuplicates(double fraction) {
                this.fractionDuplicates = fraction;
                return this;
            }

            public Builder badPerReason(int count) {
                this.badPerReason = count;
                return this;
            }

            /**
             * @throws IllegalArgumentException naming the first invalid setting
             */
            public Spec build() {
                validateCommon();
                Validation.atLeast("events", events, 0);
                Validation.atLeast("users", users, 1);
                Validation.atLeast("boundMs", boundMs, 0);
                Validation.fraction("fractionWithinBound", fractionWithinBound);
                Validation.fraction("fractionLate", fractionLate);
                Validation.fraction("fractionDuplicates", fractionDuplicates);
                Validation.atLeast("badPerReason", badPerReason, 0);
                if (fractionLate + fractionWithinBound > 1.0) {
                    throw new IllegalArgumentException(
                            "fractionLate + fractionWithinBound must be at most 1, got "
                                    + (fractionLate + fractionWithinBound));
                }
                if (badPerReason > 0 && events == 0) {
                    throw new IllegalArgumentException(
                            "badPerReason needs events > 0: bad records are placed between clicks");
                }
                return new Spec(this);
            }
        }
    }
}
