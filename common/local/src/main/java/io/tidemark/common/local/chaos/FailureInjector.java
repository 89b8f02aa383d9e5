package io.tidemark.common.local.chaos;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Fault injection for tests and the determinism verifier, in the style of Flink's own {@code
 * FailureMapper}: passes records through and, on subtask 0, fails the task right after a checkpoint
 * completes, in each of the first {@code failures} execution attempts. The job then restarts from
 * that checkpoint, so a test can prove that failures at checkpoint boundaries change nothing in the
 * committed output.
 *
 * <p>Which checkpoint of an attempt fails (the 1st to 3rd) comes from a seeded generator, never
 * from the clock. Wired in by {@link FailureInjection}, never by a job itself.
 */
public final class FailureInjector<T> extends RichMapFunction<T, T> implements CheckpointListener {

    private static final long serialVersionUID = 1L;

    /** Failures injected in this JVM (MiniCluster tests read it). */
    public static final AtomicInteger INJECTED = new AtomicInteger();

    private final int failures;
    private final long seed;

    private transient boolean armed;
    private transient int checkpointsUntilFailure;
    private transient int attempt;

    public FailureInjector(int failures, long seed) {
        this.failures = failures;
        this.seed = seed;
    }

    @Override
    public void open(OpenContext openContext) {
        attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        armed =
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0
                        && attempt < failures;
        checkpointsUntilFailure = 1 + new SplittableRandom(seed + attempt).nextInt(3);
    }

    @Override
    public T map(T value) {
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (armed && --checkpointsUntilFailure <= 0) {
            armed = false;
            INJECTED.incrementAndGet();
            throw new InjectedFailure(
                    "injected failure in attempt " + attempt + " after checkpoint " + checkpointId);
        }
    }

    /** Marks failures a test injected on purpose. */
    public static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super(message);
        }
    }
}
