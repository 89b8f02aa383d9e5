package io.tidemark.common.runtime.record;

import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.ClickType;
import java.time.Instant;

/**
 * The record spec the runtime's tests read clicks with (the module cannot depend on a job): event
 * time from the payload, and an empty event id rejected, so that tests can reach INVALID_FIELD.
 */
public final class TestClicks implements RecordSpec<Click> {

    private static final long serialVersionUID = 1L;

    /** A page view of user {@code u-1}. */
    public static Click click(String eventId, Instant eventTime) {
        return Click.newBuilder()
                .setEventId(eventId)
                .setUserId("u-1")
                .setEventTime(eventTime)
                .setType(ClickType.PAGE_VIEW)
                .setPage("/home")
                .build();
    }

    @Override
    public Class<Click> type() {
        return Click.class;
    }

    @Override
    public Long eventTime(Click click) {
        return click.getEventTime() == null ? null : click.getEventTime().toEpochMilli();
    }

    @Override
    public String invalidFieldMessage(Click click) {
        return click.getEventId().isEmpty() ? "eventId is empty" : null;
    }
}
