package io.tidemark.jobs.sessionization.functions;

import static io.tidemark.jobs.sessionization.functions.Clicks.at;
import static io.tidemark.jobs.sessionization.functions.Clicks.click;
import static io.tidemark.jobs.sessionization.functions.Clicks.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.ClickType;
import io.tidemark.common.schemas.UserSession;
import io.tidemark.jobs.sessionization.SessionizationTopology;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session window operator exactly as the topology builds it, driven by a harness: when it
 * fires, how sessions merge, and that nothing is left behind once a session has fired.
 */
class SessionWindowsTest {

    private static final long GAP = Duration.ofMinutes(30).toMillis();

    private KeyedOneInputStreamOperatorTestHarness<String, Click, UserSession> harness;

    @SuppressWarnings("unchecked")
    @BeforeEach
    void setUp() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SingleOutputStreamOperator<UserSession> windows =
                SessionizationTopology.sessionWindows(
                        env.fromData(new AvroTypeInfo<>(Click.class), view("x", "u", 0)),
                        Duration.ofMillis(GAP));
        StreamOperatorFactory<UserSession> factory =
                ((OneInputTransformation<Click, UserSession>) windows.getTransformation())
                        .getOperatorFactory();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        factory, Click::getUserId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void push(Click click) throws Exception {
        harness.processElement(new StreamRecord<>(click, click.getEventTime().toEpochMilli()));
    }

    private List<UserSession> sessions() {
        return harness.extractOutputValues();
    }

    @Test
    void sessionFiresOnceWhenTheWatermarkReachesLastEventPlusGapMinusOne() throws Exception {
        push(view("c-1", "u-1", 0));
        push(view("c-2", "u-1", 60_000));

        harness.processWatermark(new Watermark(at(60_000 + GAP - 2)));
        assertThat(sessions()).isEmpty();

        harness.processWatermark(new Watermark(at(60_000 + GAP - 1)));
        assertThat(sessions()).hasSize(1);
        UserSession session = sessions().get(0);
        assertThat(session.getSessionId()).isEqualTo("u-1@2026-11-01T10:00:00.000Z");
        assertThat(session.getStart()).isEqualTo(Clicks.T0);
        assertThat(session.getEnd()).isEqualTo(Clicks.T0.plusMillis(60_000));
        assertThat(session.getDurationMs()).isEqualTo(60_000);
        assertThat(session.getEvents()).isEqualTo(2);

        harness.processWatermark(new Watermark(at(10 * GAP)));
        assertThat(sessions()).as("fires exactly once").hasSize(1);
    }

    @Test
    void eventsExactlyGapApartBelongToOneSession() throws Exception {
        push(view("c-1", "u-1", 0));
        push(view("c-2", "u-1", GAP));
        harness.processWatermark(new Watermark(Long.MAX_VALUE));

        assertThat(sessions()).singleElement().extracting(UserSession::getEvents).isEqualTo(2L);
    }

    @Test
    void eventsMoreThanGapApartMakeTwoSessions() throws Exception {
        push(view("c-1", "u-1", 0));
        push(view("c-2", "u-1", GAP + 1));
        harness.processWatermark(new Watermark(Long.MAX_VALUE));

        assertThat(sessions())
                .extracting(UserSession::getSessionId)
                .containsExactlyInAnyOrder(
                        "u-1@2026-11-01T10:00:00.000Z", "u-1@2026-11-01T10:30:00.001Z");
    }

    @Test
    void anEventBetweenTwoSessionsMergesThemIntoOne() throws Exception {
        push(view("c-1", "u-1", 0));
        push(view("c-3", "u-1", 2 * GAP));
        push(click("c-2", "u-1", GAP, ClickType.CHECKOUT, "p-9")); // bridges both
        harness.processWatermark(new Watermark(Long.MAX_VALUE));

        assertThat(sessions()).hasSize(1);
        UserSession merged = sessions().get(0);
        assertThat(merged.getEvents()).isEqualTo(3);
        assertThat(merged.getDurationMs()).isEqualTo(2 * GAP);
        assertThat(merged.getConverted()).isTrue();
        assertThat(merged.getProducts()).containsExactly("p-9");
    }

    @Test
    void countsProductsAndConversionAreOrderFree() throws Exception {
        push(click("c-3", "u-1", 3_000, ClickType.ADD_TO_CART, "p-2"));
        push(click("c-1", "u-1", 1_000, ClickType.PRODUCT_VIEW, "p-7"));
        push(click("c-2", "u-1", 2_000, ClickType.PRODUCT_VIEW, "p-2"));
        push(view("c-0", "u-1", 0));
        harness.processWatermark(new Watermark(Long.MAX_VALUE));

        UserSession s = sessions().get(0);
        assertThat(s.getPageViews()).isEqualTo(1);
        assertThat(s.getProductViews()).isEqualTo(2);
        assertThat(s.getAddToCarts()).isEqualTo(1);
        assertThat(s.getCheckouts()).isZero();
        assertThat(s.getConverted()).isFalse();
        assertThat(s.getProducts()).containsExactly("p-2", "p-7");
        assertThat(s.getStart()).isEqualTo(Clicks.T0);
    }

    @Test
    void usersHaveSeparateSessions() throws Exception {
        push(view("c-1", "u-1", 0));
        push(view("c-2", "u-2", 10));
        harness.processWatermark(new Watermark(Long.MAX_VALUE));

        assertThat(sessions())
                .extracting(UserSession::getUserId)
                .containsExactlyInAnyOrder("u-1", "u-2");
    }

    @Test
    void stateAndTimersAreClearedAfterTheSessionFires() throws Exception {
        push(view("c-1", "u-1", 0));
        push(view("c-2", "u-1", 1_000));
        push(view("c-3", "u-2", 0));
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(harness.numEventTimeTimers()).isPositive();

        harness.processWatermark(new Watermark(at(1_000 + GAP)));

        assertThat(sessions()).hasSize(2);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
