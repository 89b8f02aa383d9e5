package io.tidemark.statemigration.demo;

import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.schemas.Click;
import io.tidemark.common.schemas.UserSession;
import io.tidemark.jobs.sessionization.SessionizationConfig;
import io.tidemark.jobs.sessionization.SessionizationJob;
import io.tidemark.jobs.sessionization.SessionizationTopology;
import io.tidemark.jobs.sessionization.SessionizationUids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;

/**
 * The sessionization job as the upgrade demonstration ships it: the real ingest, dedup and sinks
 * under the real uids, with the session windows folding into an Avro state ({@link
 * DemoSessionState}, {@code src/test/avro}) so the state can evolve by Avro's rules. Version 1 is
 * what the committed fixture {@code savepoints/sessionization-upgrade-demo/1} was taken with;
 * version 2 (this code) added a field to the session state and a new operator, {@link
 * CountSessionsPerUser} under the uid {@link #COUNT_SESSIONS}.
 */
public final class SessionizationUpgradeDemoJob implements TidemarkJob {

    /** The operator version 2 added. */
    public static final String COUNT_SESSIONS = SessionizationUids.JOB + ".sessions-per-user";

    private final SessionizationJob real = new SessionizationJob();

    @Override
    public String name() {
        return real.name();
    }

    @Override
    public List<ConfigOption<?>> options() {
        return real.options();
    }

    @Override
    public List<JobTopic> inputs(Configuration conf) {
        return real.inputs(conf);
    }

    @Override
    public List<JobTopic> outputs(Configuration conf) {
        return real.outputs(conf);
    }

    @Override
    public List<String> operatorUids() {
        List<String> uids = new ArrayList<>(SessionizationUids.all());
        uids.add(uids.indexOf(SessionizationUids.SESSIONS) + 1, COUNT_SESSIONS);
        return uids;
    }

    @Override
    public void build(StreamExecutionEnvironment env, Configuration conf, InputTap tap) {
        SessionizationTopology.wire(
                env, SessionizationConfig.from(conf), tap, SessionizationUpgradeDemoJob::sessions);
    }

    /** The real payload and dedup stages, then session windows on the Avro state. */
    private static DataStream<UserSession> sessions(
            DataStream<InputRecord<Click>> onTime, Duration gap) {
        DataStream<Click> payloads =
                onTime.map(record -> record.payload)
                        .returns(new AvroTypeInfo<>(Click.class))
                        .uid(SessionizationUids.PAYLOAD)
                        .name("click payload");
        return SessionizationTopology.dedup(payloads)
                .keyBy(Click::getUserId, Types.STRING)
                .window(EventTimeSessionWindows.withGap(gap))
                .aggregate(
                        new DemoSessionAggregate(),
                        new DemoEmitSession(),
                        new AvroTypeInfo<>(DemoSessionState.class),
                        new AvroTypeInfo<>(DemoSessionState.class),
                        new AvroTypeInfo<>(UserSession.class))
                .uid(SessionizationUids.SESSIONS)
                .name("session windows")
                .keyBy(UserSession::getUserId, Types.STRING)
                .process(new CountSessionsPerUser(), new AvroTypeInfo<>(UserSession.class))
                .uid(COUNT_SESSIONS)
                .name("count sessions per user");
    }
}
