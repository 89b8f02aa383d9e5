package io.tidemark.jobs.enrichment.reference;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Short, readable descriptions of how two results differ, for assertion messages. */
public final class Differences {

    private static final int SHOWN = 5;

    private Differences() {}

    /** Null when equal, else sizes and the first differing lines with their index. */
    public static String lines(String what, List<String> expected, List<String> actual) {
        if (expected.equals(actual)) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        out.append(what)
                .append(": expected ")
                .append(expected.size())
                .append(" lines, got ")
                .append(actual.size());
        int shown = 0;
        for (int i = 0; i < Math.max(expected.size(), actual.size()) && shown < SHOWN; i++) {
            String e = i < expected.size() ? expected.get(i) : "<none>";
            String a = i < actual.size() ? actual.get(i) : "<none>";
            if (!e.equals(a)) {
                out.append("\n  line ")
                        .append(i)
                        .append("\n    expected: ")
                        .append(e)
                        .append("\n    actual:   ")
                        .append(a);
                shown++;
            }
        }
        return out.toString();
    }

    /** Null when equal, else what is missing and what is unexpected (a few of each). */
    public static <T extends Comparable<T>> String sets(
            String what, Collection<T> expected, Collection<T> actual) {
        SortedSet<T> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        SortedSet<T> unexpected = new TreeSet<>(actual);
        unexpected.removeAll(expected);
        if (missing.isEmpty() && unexpected.isEmpty()) {
            return null;
        }
        return what
                + ": expected "
                + expected.size()
                + ", got "
                + actual.size()
                + "; missing "
                + missing.size()
                + " "
                + first(missing)
                + ", unexpected "
                + unexpected.size()
                + " "
                + first(unexpected);
    }

    private static <T> List<T> first(Collection<T> items) {
        List<T> out = new ArrayList<>();
        for (T item : items) {
            if (out.size() == SHOWN) {
                break;
            }
            out.add(item);
        }
        return out;
    }
}
