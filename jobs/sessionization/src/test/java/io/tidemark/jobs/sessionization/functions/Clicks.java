package io.tidemark.jobs.sessionization.functions;

import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.ClickType;
import java.time.Instant;

/** Test clicks at fixed times. */
public final class Clicks {

    public static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private Clicks() {}

    public static Click click(
            String eventId, String user, long offsetMs, ClickType type, String product) {
        return Click.newBuilder()
                .setEventId(eventId)
                .setUserId(user)
                .setEventTime(T0.plusMillis(offsetMs))
                .setType(type)
                .setProductId(product)
                .build();
    }

    public static Click view(String eventId, String user, long offsetMs) {
        return click(eventId, user, offsetMs, ClickType.PAGE_VIEW, null);
    }

    public static long at(long offsetMs) {
        return T0.toEpochMilli() + offsetMs;
    }
}
