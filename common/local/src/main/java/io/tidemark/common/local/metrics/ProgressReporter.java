package io.tidemark.common.local.metrics;

import io.tidemark.common.runtime.metrics.TidemarkMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * A Flink metric reporter that keeps the ingest stage's progress metrics ({@code tidemark.read},
 * {@code tidemark.maxEventTime}) of every subtask in this JVM, so a tool running a job on a local
 * MiniCluster (e.g. {@code tidemark backfill}) can print progress without a REST server. On a
 * cluster, use Flink's own reporters and web UI instead.
 *
 * <p>Enable with {@code metrics.reporter.progress.factory.class:
 * io.tidemark.common.local.metrics.ProgressReporterFactory}.
 */
public final class ProgressReporter implements MetricReporter {

    private static final Map<String, Counter> READ_COUNTERS = new ConcurrentHashMap<>();
    private static final Map<String, Gauge<?>> EVENT_TIMES = new ConcurrentHashMap<>();

    /** Records read so far and the lowest per-subtask maximum event time (or null). */
    public record Progress(long recordsRead, Long eventTime) {}

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (!isTidemark(group)) {
            return;
        }
        String id = group.getMetricIdentifier(name);
        if (TidemarkMetrics.READ.equals(name) && metric instanceof Counter counter) {
            READ_COUNTERS.put(id, counter);
        } else if (TidemarkMetrics.MAX_EVENT_TIME.equals(name)
                && metric instanceof Gauge<?> gauge
                && !isPartitionGauge(group)) {
            EVENT_TIMES.put(id, gauge);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // Keep finished subtasks' counts: progress must not drop when a source finishes.
    }

    /**
     * The classifier's per-partition maxima ({@code tidemark.partition.<p>.maxEventTime}) share the
     * name of the ingest gauge; progress reads only the latter, one per source subtask.
     */
    private static boolean isPartitionGauge(MetricGroup group) {
        return group.getAllVariables().containsKey("<" + TidemarkMetrics.PARTITION + ">");
    }

    private static boolean isTidemark(MetricGroup group) {
        for (String component : group.getScopeComponents()) {
            if (TidemarkMetrics.GROUP.equals(component)) {
                return true;
            }
        }
        return false;
    }

    /** The progress of everything reported in this JVM since the last {@link #reset}. */
    public static Progress snapshot() {
        long read = READ_COUNTERS.values().stream().mapToLong(Counter::getCount).sum();
        Long eventTime = null;
        for (Gauge<?> gauge : EVENT_TIMES.values()) {
            Object value = gauge.getValue();
            if (value instanceof Long t && t != Long.MIN_VALUE) {
                eventTime = eventTime == null ? t : Math.min(eventTime, t);
            }
        }
        return new Progress(read, eventTime);
    }

    /** Forgets all metrics, before a new job starts. */
    public static void reset() {
        READ_COUNTERS.clear();
        EVENT_TIMES.clear();
    }
}
