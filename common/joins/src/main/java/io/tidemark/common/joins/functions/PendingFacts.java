package io.tidemark.common.joins.functions;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;

/**
 * Facts (orders or order lines) of one key held back until the watermark of every input has passed
 * their event time, in keyed {@link MapState} by event time.
 */
final class PendingFacts {

    private final MapState<Long, List<LineTask>> pending;

    PendingFacts(MapState<Long, List<LineTask>> pending) {
        this.pending = pending;
    }

    void add(long eventTime, LineTask task) throws Exception {
        List<LineTask> due = pending.get(eventTime);
        List<LineTask> updated = due == null ? new ArrayList<>() : new ArrayList<>(due);
        updated.add(task);
        pending.put(eventTime, updated);
    }

    /** Removes and returns the facts at exactly {@code eventTime}. */
    List<LineTask> takeDue(long eventTime) throws Exception {
        List<LineTask> due = pending.get(eventTime);
        if (due == null) {
            return List.of();
        }
        pending.remove(eventTime);
        return due;
    }

    boolean isEmpty() throws Exception {
        return pending.isEmpty();
    }
}
