package io.tidemark.common.local.chaos;

import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.record.InputRecord;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Wraps the real topology with a {@link FailureInjector} after each source: what the determinism
 * verifier and the failure tests run a job with. Nothing of it exists in a job's own graph or
 * configuration; it is handed to {@code TidemarkJob.build} by the tool that wants failures.
 *
 * <p>The injector is stateless, so a savepoint of a run with failures restores into a run without
 * them (and the other way round) with no state left unclaimed.
 */
public final class FailureInjection implements InputTap {

    private final int failures;
    private final long seed;

    /**
     * @param failures execution attempts that fail, each right after a checkpoint completes
     * @param seed which checkpoint of an attempt fails (the 1st to 3rd)
     */
    public FailureInjection(int failures, long seed) {
        if (failures < 0) {
            throw new IllegalArgumentException("failures must be >= 0, was " + failures);
        }
        this.failures = failures;
        this.seed = seed;
    }

    public int failures() {
        return failures;
    }

    /** The uid of the injector after input {@code inputName}. */
    public static String uid(String uidPrefix, String inputName) {
        return uidPrefix + ".inject-failures." + inputName;
    }

    @Override
    public <T> DataStream<InputRecord<T>> apply(
            DataStream<InputRecord<T>> records, String uidPrefix, String inputName) {
        return records.map(new FailureInjector<InputRecord<T>>(failures, seed), records.getType())
                .uid(uid(uidPrefix, inputName))
                .name("inject failures " + inputName);
    }

    /** The failures a tap injects: its count for a {@code FailureInjection}, else none. */
    public static int expectedFrom(InputTap tap) {
        return tap instanceof FailureInjection injection ? injection.failures : 0;
    }

    @Override
    public String toString() {
        return "FailureInjection{failures=" + failures + ", seed=" + seed + '}';
    }
}
