package io.tidemark.bench;

import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.ClickType;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The benchmark's seeded click stream: {@link #users} users clicking in bursts (clicks 60–450 ms
 * apart, about {@value #MEAN_BURST} per burst) separated by pauses of 4.5–13.5 s, which with 10,000
 * users makes about 10,000 clicks per event-time second, each user about one a second. The session
 * gap of the benchmark ({@link #SESSION_GAP_MS}) lies between the two, so sessions open and close
 * all through the run (with a 30-minute gap every user would have one session for the whole run).
 *
 * <p>On top: {@value #DISORDER_PERCENT}% of clicks carry an event time up to {@code B} = 2 s before
 * the stream time (disorder within the bound, never late) and {@value #LATE_PERCENT}% one 5–60 s
 * before it (late by the lateness rule once the partition has advanced). The record timestamp is
 * the stream time. Nothing reads the clock: the same seed gives the same records.
 */
public final class BenchClicks {

    /** The session gap every variant uses on this input. */
    public static final long SESSION_GAP_MS = 3_000;

    /** The out-of-orderness bound {@code B} every variant uses. */
    public static final long BOUND_MS = 2_000;

    static final int MEAN_BURST = 12;
    static final int DISORDER_PERCENT = 5;
    static final int LATE_PERCENT = 1;
    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final String[] PAGES = {"/", "/search", "/category", "/product", "/cart"};

    private final long events;
    private final int users;
    private final int products;
    private final SplittableRandom random;

    public BenchClicks(long events, int users, int products, long seed) {
        this.events = events;
        this.users = users;
        this.products = products;
        this.random = new SplittableRandom(seed);
    }

    /** One generated click with its record timestamp (the stream time). */
    public record Generated(Click click, long timestamp) {}

    /** Generates every click in stream order. */
    public void forEach(Consumer<Generated> out) {
        forEachWhile(
                generated -> {
                    out.accept(generated);
                    return true;
                });
    }

    /** Generates clicks in stream order while {@code out} returns true. */
    public void forEachWhile(java.util.function.Predicate<Generated> out) {
        PriorityQueue<long[]> queue =
                new PriorityQueue<>(
                        (a, b) ->
                                a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long start = START.toEpochMilli();
        int[] burstLeft = new int[users];
        for (int u = 0; u < users; u++) {
            queue.add(new long[] {start + random.nextLong(13_500), u});
            burstLeft[u] = burstLength();
        }
        for (long i = 0; i < events; i++) {
            long[] next = queue.poll();
            long streamTime = next[0];
            int user = (int) next[1];
            if (!out.test(new Generated(click(i, user, streamTime), streamTime))) {
                return;
            }
            if (--burstLeft[user] > 0) {
                next[0] = streamTime + 60 + random.nextLong(391);
            } else {
                burstLeft[user] = burstLength();
                next[0] = streamTime + 4_500 + random.nextLong(9_001);
            }
            queue.add(next);
        }
    }

    private int burstLength() {
        return 1 + random.nextInt(2 * MEAN_BURST - 1);
    }

    private Click click(long number, int user, long streamTime) {
        int roll = random.nextInt(100);
        long eventTime = streamTime;
        if (roll < LATE_PERCENT) {
            eventTime -= 5_000 + random.nextLong(55_001);
        } else if (roll < LATE_PERCENT + DISORDER_PERCENT) {
            eventTime -= random.nextLong(BOUND_MS);
        }
        int kind = random.nextInt(100);
        ClickType type =
                kind < 50
                        ? ClickType.PAGE_VIEW
                        : kind < 85
                                ? ClickType.PRODUCT_VIEW
                                : kind < 97 ? ClickType.ADD_TO_CART : ClickType.CHECKOUT;
        String product = type == ClickType.PAGE_VIEW ? null : "p" + (1 + random.nextInt(products));
        return Click.newBuilder()
                .setEventId("e" + number)
                .setUserId(userId(user))
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setType(type)
                .setPage(PAGES[random.nextInt(PAGES.length)])
                .setProductId(product)
                .build();
    }

    static String userId(int user) {
        return "u" + (100_000 + user);
    }
}
