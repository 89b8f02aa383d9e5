package io.tidemark.jobs.sessionization;

import io.tidemark.common.postgres.ReadModelSink;
import io.tidemark.common.postgres.tables.UserSessionsTable;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.ingest.Ingested;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.kafka.KafkaInputs;
import io.tidemark.common.runtime.kafka.KafkaOutputs;
import io.tidemark.common.runtime.kafka.OutputSink;
import io.tidemark.common.runtime.kafka.SinkPreflight;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.UserSession;
import io.tidemark.jobs.sessionization.functions.ClickSpec;
import io.tidemark.jobs.sessionization.functions.DeduplicateByEventId;
import io.tidemark.jobs.sessionization.functions.EmitSession;
import io.tidemark.jobs.sessionization.functions.SessionAccumulator;
import io.tidemark.jobs.sessionization.functions.SessionAggregate;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.util.function.SerializableFunction;

/**
 * The sessionization job's wiring:
 *
 * <pre>
 *   clicks ─▶ validate ─▶ classify lateness ─▶ dedup by eventId ─▶ session windows per user ─▶ user-sessions
 *                │               │
 *                ▼               ▼
 *       sessionization-dlq  sessionization-late
 * </pre>
 */
public final class SessionizationTopology {

    private static final TypeInformation<Click> CLICK = new AvroTypeInfo<>(Click.class);

    /** The result key: Kafka key of user-sessions and primary key of user_sessions. */
    private static final SerializableFunction<UserSession, String> SESSION_KEY =
            UserSession::getSessionId;

    private static final TypeInformation<UserSession> SESSION =
            new AvroTypeInfo<>(UserSession.class);

    private SessionizationTopology() {}

    /** Kafka in, Kafka out: the job as it runs. Fails before starting if the preflight fails. */
    public static void wire(StreamExecutionEnvironment env, SessionizationConfig config) {
        wire(env, config, InputTap.NONE);
    }

    /** The same, with {@code tap} after the source (tests and tools). */
    public static void wire(
            StreamExecutionEnvironment env, SessionizationConfig config, InputTap tap) {
        wire(env, config, tap, SessionizationTopology::sessions);
    }

    /** On-time clicks to sessions: the stage between the ingest and the sessions sink. */
    @FunctionalInterface
    public interface SessionsStage {
        DataStream<UserSession> apply(DataStream<InputRecord<Click>> onTime, Duration gap);
    }

    /**
     * The job with another sessions stage between the real ingest and the real sinks (same uids),
     * e.g. a later version of the session state in the upgrade tests.
     */
    public static void wire(
            StreamExecutionEnvironment env,
            SessionizationConfig config,
            InputTap tap,
            SessionsStage sessionsStage) {
        var common = config.common();
        reuseObjectsUnlessConfigured(env, common);
        OutputSink<UserSession> sessionsSink =
                KafkaOutputs.sink(SessionizationUids.SINK_SESSIONS, UserSession.class)
                        .topic(config.outputTopic())
                        .key(SESSION_KEY)
                        .timestamp(session -> session.getEnd().toEpochMilli())
                        .config(common)
                        .build();
        OutputSink<ErrorEnvelope> lateSink =
                KafkaOutputs.envelopes(SessionizationUids.SINK_LATE, common.lateTopic(), common);
        OutputSink<ErrorEnvelope> dlqSink =
                KafkaOutputs.envelopes(SessionizationUids.SINK_DLQ, common.dlqTopic(), common);
        SinkPreflight.check(common, List.of(sessionsSink, lateSink, dlqSink));
        ReadModelSink readModel =
                ReadModelSink.of(config.postgres(), common.jobName(), common.uidPrefix());
        readModel.preflight();

        Ingested<Click> clicks =
                KafkaInputs.ingest(
                        env,
                        common,
                        config.inputTopic(),
                        SessionizationUids.INPUT,
                        new ClickSpec(),
                        tap);
        DataStream<UserSession> sessions =
                sessionsSink.attach(
                        sessionsStage.apply(clicks.onTime(), config.gap()), common.uidPrefix());
        readModel.write(sessions, new UserSessionsTable(SESSION_KEY), sessionsSink.topic());
        lateSink.attach(clicks.late(), common.uidPrefix());
        dlqSink.attach(readModel.withRejects(clicks.dlq()), common.uidPrefix());
    }

    /**
     * Turns on Flink's object reuse unless {@code flink.pipeline.object-reuse} is set: chained
     * operators then hand records on instead of deep-copying each one (three copies per click
     * between the source and the first shuffle). Audited for this job: no operator keeps a
     * reference to a record it was given or emitted — validation and the classifier pass records on
     * or wrap them in new envelopes, dedup keeps a Boolean per eventId, the session aggregate
     * copies fields into its accumulator, and sinks serialize on write. A stage that buffers
     * records in heap state must not run with it (the enrichment and revenue jobs do).
     */
    static void reuseObjectsUnlessConfigured(
            StreamExecutionEnvironment env, TidemarkConfig common) {
        if (!common.flinkProperties().containsKey(PipelineOptions.OBJECT_REUSE.key())) {
            env.getConfig().enableObjectReuse();
        }
    }

    /** On-time clicks to sessions: dedup, then event-time session windows per user. */
    public static DataStream<UserSession> sessions(
            DataStream<InputRecord<Click>> onTime, Duration gap) {
        DataStream<Click> clicks =
                onTime.map(record -> record.payload)
                        .returns(CLICK)
                        .uid(SessionizationUids.PAYLOAD)
                        .name("click payload");
        return sessionWindows(dedup(clicks), gap);
    }

    /** Drops repeated eventIds; state is cleared by event-time timers. */
    public static SingleOutputStreamOperator<Click> dedup(DataStream<Click> clicks) {
        return clicks.keyBy(Click::getEventId, Types.STRING)
                .process(new DeduplicateByEventId(), CLICK)
                .uid(SessionizationUids.DEDUP)
                .name("dedup by eventId");
    }

    /**
     * Event-time session windows per user with gap {@code G}, folded incrementally and fired once
     * when the watermark passes the session's end.
     */
    public static SingleOutputStreamOperator<UserSession> sessionWindows(
            DataStream<Click> clicks, Duration gap) {
        return clicks.keyBy(Click::getUserId, Types.STRING)
                .window(EventTimeSessionWindows.withGap(gap))
                .aggregate(
                        new SessionAggregate(),
                        new EmitSession(),
                        SessionAccumulator.typeInfo(),
                        SessionAccumulator.typeInfo(),
                        SESSION)
                .uid(SessionizationUids.SESSIONS)
                .name("session windows");
    }
}
