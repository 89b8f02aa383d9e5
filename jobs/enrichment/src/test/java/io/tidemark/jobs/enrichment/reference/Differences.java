package io.tidemark.jobs.enrichment.reference;

import java.util.Collection;
import java.util.List;

/**
 * Short, readable descriptions of how two results differ, for assertion messages; {@code null} when
 * there is no difference, as the tests of this module expect. The one implementation is {@link
 * io.tidemark.common.testing.scenario.Differences}.
 */
public final class Differences {

    private Differences() {}

    /** Null when equal, else sizes, the first difference and some missing/unexpected lines. */
    public static String lines(String what, List<String> expected, List<String> actual) {
        return nullIfEmpty(
                io.tidemark.common.testing.scenario.Differences.ofLines(what, expected, actual));
    }

    /** Null when equal, else what is missing and what is unexpected (a few of each). */
    public static <T extends Comparable<T>> String sets(
            String what, Collection<T> expected, Collection<T> actual) {
        return nullIfEmpty(
                io.tidemark.common.testing.scenario.Differences.ofSets(what, expected, actual));
    }

    private static String nullIfEmpty(String difference) {
        return difference.isEmpty() ? null : difference;
    }
}
