package io.tidemark.common.testing.scenario;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Short, readable descriptions of how two large results differ, for assertion messages: a test
 * comparing 30,000 lines should name the first few differences, not print both lists. Each method
 * returns the empty string when there is no difference.
 */
public final class Differences {

    private static final int SHOWN = 8;

    private Differences() {}

    /**
     * Empty when {@code actual} equals {@code expected} line for line; else the sizes, the first
     * differing line and a few missing and unexpected lines.
     */
    public static String ofLines(String what, List<String> expected, List<String> actual) {
        if (expected.equals(actual)) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append(what)
                .append(": expected ")
                .append(expected.size())
                .append(" lines, got ")
                .append(actual.size());
        int first = 0;
        while (first < Math.min(expected.size(), actual.size())
                && expected.get(first).equals(actual.get(first))) {
            first++;
        }
        out.append("; first difference at line ").append(first + 1);
        Set<String> missing = new LinkedHashSet<>(expected);
        actual.forEach(missing::remove);
        Set<String> unexpected = new LinkedHashSet<>(actual);
        expected.forEach(unexpected::remove);
        appendSome(out, "missing", missing);
        appendSome(out, "unexpected", unexpected);
        if (missing.isEmpty() && unexpected.isEmpty()) {
            out.append("\n  same lines in another order or with other multiplicities");
        }
        return out.toString();
    }

    /**
     * Empty when the two hold the same elements and are of the same size; else a summary of what is
     * missing and unexpected.
     */
    public static <T extends Comparable<T>> String ofSets(
            String what, Collection<T> expected, Collection<T> actual) {
        Set<T> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<T> unexpected = new TreeSet<>(actual);
        unexpected.removeAll(expected);
        if (missing.isEmpty() && unexpected.isEmpty() && expected.size() == actual.size()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append(what)
                .append(": expected ")
                .append(expected.size())
                .append(", got ")
                .append(actual.size());
        appendSome(out, "missing", missing);
        appendSome(out, "unexpected", unexpected);
        return out.toString();
    }

    private static void appendSome(StringBuilder out, String label, Collection<?> items) {
        if (items.isEmpty()) {
            return;
        }
        List<Object> some = new ArrayList<Object>(items).subList(0, Math.min(SHOWN, items.size()));
        out.append("\n  ").append(items.size()).append(' ').append(label).append(", e.g.:");
        some.forEach(item -> out.append("\n    ").append(item));
    }
}
