package io.tidemark.cli.report;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What {@code tidemark report} shows of one job run: its counts, lateness per source partition and
 * how far event time and watermarks got. Built from a running job's Flink metrics ({@link
 * LiveJobReport}) or from a replay's output directory ({@link ReplayReport}).
 *
 * @param title the job and where the figures come from
 * @param counts records read, on time, late, heartbeats, duplicates dropped, ... in display order
 * @param dlqByReason DLQ records per reason code
 * @param partitions per source partition ({@code topic/partition}), in name order
 * @param watermarks the current input watermark per operator, in topology order (empty for a
 *     finished replay)
 * @param watermarkLagMs the largest watermark lag over the job's subtasks, or null when unknown
 */
public record JobReport(
        String title,
        Map<String, Long> counts,
        SortedMap<String, Long> dlqByReason,
        SortedMap<String, PartitionLateness> partitions,
        List<OperatorWatermark> watermarks,
        Long watermarkLagMs) {

    /**
     * @param maxEventTime the partition's largest event time (ms), or null when not known
     * @param late records of the partition sent to the late topic
     */
    public record PartitionLateness(Long maxEventTime, long late) {}

    /**
     * @param watermark the operator's current input watermark (ms); Long.MIN_VALUE before any
     */
    public record OperatorWatermark(String operator, long watermark) {}

    public void render(PrintWriter out) {
        out.println(title);
        out.println();
        counts.forEach((name, value) -> out.printf("  %-22s %,d%n", name, value));
        long dlqTotal = dlqByReason.values().stream().mapToLong(Long::longValue).sum();
        out.printf("  %-22s %,d%n", "dlq", dlqTotal);
        dlqByReason.forEach(
                (reason, n) -> {
                    if (n > 0) {
                        out.printf("    %-20s %,d%n", reason, n);
                    }
                });
        if (watermarkLagMs != null) {
            out.printf("  %-22s %s%n", "watermark lag", lag(watermarkLagMs));
        }
        out.println();
        out.printf("  %-24s %-26s %s%n", "PARTITION", "MAX EVENT TIME", "LATE");
        partitions.forEach(
                (partition, p) ->
                        out.printf(
                                "  %-24s %-26s %,d%n",
                                partition,
                                p.maxEventTime() == null ? "-" : time(p.maxEventTime()),
                                p.late()));
        if (partitions.isEmpty()) {
            out.println("  (no partition seen yet)");
        }
        if (!watermarks.isEmpty()) {
            out.println();
            out.printf("  %-48s %s%n", "OPERATOR", "INPUT WATERMARK");
            watermarks.forEach(
                    w ->
                            out.printf(
                                    "  %-48s %s%n",
                                    shorten(w.operator(), 48), time(w.watermark())));
        }
        out.flush();
    }

    static String time(long millis) {
        if (millis == Long.MIN_VALUE) {
            return "none yet";
        }
        if (millis == Long.MAX_VALUE) {
            return "end of input";
        }
        return Instant.ofEpochMilli(millis).toString();
    }

    static String lag(long millis) {
        if (millis == Long.MAX_VALUE) {
            return "no watermark yet (a partition without data or heartbeats holds it back)";
        }
        return String.format("%,d ms", millis);
    }

    private static String shorten(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
