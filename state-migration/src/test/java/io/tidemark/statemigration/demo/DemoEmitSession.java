package io.tidemark.statemigration.demo;

import io.tidemark.common.schemas.UserSession;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** The same {@link UserSession} the real job emits, from the demo's Avro session state. */
final class DemoEmitSession
        extends ProcessWindowFunction<DemoSessionState, UserSession, String, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String userId,
            Context context,
            Iterable<DemoSessionState> states,
            Collector<UserSession> out) {
        for (DemoSessionState s : states) {
            out.collect(
                    UserSession.newBuilder()
                            .setSessionId(userId + "@" + Instant.ofEpochMilli(s.getStart()))
                            .setUserId(userId)
                            .setStart(Instant.ofEpochMilli(s.getStart()))
                            .setEnd(Instant.ofEpochMilli(s.getEnd()))
                            .setDurationMs(s.getEnd() - s.getStart())
                            .setEvents(s.getEvents())
                            .setPageViews(s.getPageViews())
                            .setProductViews(s.getProductViews())
                            .setAddToCarts(s.getAddToCarts())
                            .setCheckouts(s.getCheckouts())
                            .setProducts(List.copyOf(s.getProducts()))
                            .setConverted(s.getCheckouts() > 0)
                            .build());
        }
    }
}
