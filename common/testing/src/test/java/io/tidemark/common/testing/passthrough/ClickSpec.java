package io.tidemark.common.testing.passthrough;

import io.tidemark.common.runtime.record.RecordSpec;
import io.tidemark.common.schemas.Click;

/** The click spec the runtime's tests use: event id must not be empty. */
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
        return click.getEventId().isEmpty() ? "eventId is empty" : null;
    }
}
