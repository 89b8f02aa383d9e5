package io.tidemark.jobs.sessionization.functions;

import io.tidemark.common.runtime.record.RecordSpec;
import io.tidemark.common.schemas.Click;

/** How the ingest stage reads a click: event time from the payload, eventId and userId required. */
public final class ClickSpec implements RecordSpec<Click> {

    private static final long serialVersionUID = 1L;

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
        if (click.getEventId() == null || click.getEventId().isEmpty()) {
            return "eventId is empty";
        }
        if (click.getUserId() == null || click.getUserId().isEmpty()) {
            return "userId is empty";
        }
        return null;
    }
}
