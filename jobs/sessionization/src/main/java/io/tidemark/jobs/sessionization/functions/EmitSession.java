package io.tidemark.jobs.sessionization.functions;

import io.tidemark.common.schemas.UserSession;
import java.time.Instant;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns the accumulator of a fired session window into a {@link UserSession}. Start and end are the
 * first and last event times (not the window bounds, which include the gap).
 */
public final class EmitSession
        extends ProcessWindowFunction<SessionAccumulator, UserSession, String, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String userId,
            Context context,
            Iterable<SessionAccumulator> accumulators,
            Collector<UserSession> out) {
        for (SessionAccumulator acc : accumulators) {
            out.collect(toSession(userId, acc));
        }
    }

    static UserSession toSession(String userId, SessionAccumulator acc) {
        return UserSession.newBuilder()
                .setSessionId(SessionIds.of(userId, acc.start))
                .setUserId(userId)
                .setStart(Instant.ofEpochMilli(acc.start))
                .setEnd(Instant.ofEpochMilli(acc.end))
                .setDurationMs(acc.end - acc.start)
                .setEvents(acc.events)
                .setPageViews(acc.pageViews)
                .setProductViews(acc.productViews)
                .setAddToCarts(acc.addToCarts)
                .setCheckouts(acc.checkouts)
                .setProducts(SessionAggregate.products(acc))
                .setConverted(acc.checkouts > 0)
                .build();
    }
}
