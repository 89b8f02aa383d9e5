package io.tidemark.jobs.sessionization.reference;

import java.util.Collection;
import java.util.List;

/**
 * Short, readable descriptions of how two large results differ, for assertion messages; empty when
 * there is no difference. Kept for the tests of this module that import it from here; the one
 * implementation is {@link io.tidemark.common.testing.scenario.Differences}.
 */
public final class Differences {

    private Differences() {}

    /** Empty when {@code actual} equals {@code expected} line for line; else a summary. */
    public static String ofLines(String what, List<String> expected, List<String> actual) {
        return io.tidemark.common.testing.scenario.Differences.ofLines(what, expected, actual);
    }

    /** Empty when the sets are equal; else a summary of what is missing and unexpected. */
    public static <T extends Comparable<T>> String ofSets(
            String what, Collection<T> expected, Collection<T> actual) {
        return io.tidemark.common.testing.scenario.Differences.ofSets(what, expected, actual);
    }
}
