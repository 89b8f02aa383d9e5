package io.tidemark.statemigration.demo;

import io.tidemark.common.schemas.UserSession;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Version 2's new operator: counts each user's sessions in keyed state and passes the sessions on
 * unchanged. Resumed from a version-1 savepoint, its state starts empty (the gate says so).
 */
final class CountSessionsPerUser extends KeyedProcessFunction<String, UserSession, UserSession> {

    private static final long serialVersionUID = 1L;

    static final String STATE = "sessions-so-far";

    private transient ValueState<Long> count;

    @Override
    public void open(OpenContext context) {
        count = getRuntimeContext().getState(new ValueStateDescriptor<>(STATE, Types.LONG));
    }

    @Override
    public void processElement(UserSession session, Context ctx, Collector<UserSession> out)
            throws Exception {
        Long so = count.value();
        count.update(so == null ? 1 : so + 1);
        out.collect(session);
    }
}
