package io.tidemark.bench.probe;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that keeps every operator subtask's {@code numRecordsIn}, so a variant
 * can show how its load spreads over subtasks (a stage whose records all land on one subtask does
 * not scale). Counters are read when Flink removes them (the task finished) and again on demand;
 * the values live in this JVM, read with {@link #snapshot()} after the job ends.
 *
 * <p>Enable it with {@code metrics.reporter.bench.factory.class:
 * io.tidemark.bench.probe.SubtaskRecords$Factory}.
 */
public final class SubtaskRecords implements MetricReporter {

    /** {@code <operator name>#<subtask index>} → its counter, while the task runs. */
    private static final Map<String, Counter> LIVE = new ConcurrentHashMap<>();

    /** {@code <operator name>#<subtask index>} → its final count, once the task finished. */
    private static final Map<String, Long> FINISHED = new ConcurrentHashMap<>();

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        String id = id(metricName, group);
        if (id != null && metric instanceof Counter counter) {
            LIVE.put(id, counter);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        String id = id(metricName, group);
        if (id != null && metric instanceof Counter counter) {
            FINISHED.merge(id, counter.getCount(), Long::sum);
            LIVE.remove(id, counter);
        }
    }

    private static String id(String metricName, MetricGroup group) {
        if (!"numRecordsIn".equals(metricName)) {
            return null;
        }
        Map<String, String> variables = group.getAllVariables();
        String operator = variables.get("<operator_name>");
        String subtask = variables.get("<subtask_index>");
        if (operator == null || subtask == null) {
            return null;
        }
        return operator + "#" + subtask;
    }

    /**
     * Records in per operator, per subtask: {@code operator → [count of subtask 0, 1, …]}.
     * Operators whose subtasks read nothing at all are left out (sources count no records in).
     */
    public static Map<String, long[]> snapshot() {
        Map<String, Long> counts = new TreeMap<>(FINISHED);
        LIVE.forEach((id, counter) -> counts.merge(id, counter.getCount(), Long::sum));
        Map<String, Map<Integer, Long>> byOperator = new TreeMap<>();
        counts.forEach(
                (id, count) -> {
                    int hash = id.lastIndexOf('#');
                    byOperator
                            .computeIfAbsent(id.substring(0, hash), k -> new TreeMap<>())
                            .merge(Integer.parseInt(id.substring(hash + 1)), count, Long::sum);
                });
        Map<String, long[]> result = new TreeMap<>();
        byOperator.forEach(
                (operator, subtasks) -> {
                    int width = subtasks.keySet().stream().mapToInt(i -> i + 1).max().orElse(0);
                    long[] perSubtask = new long[width];
                    subtasks.forEach((index, count) -> perSubtask[index] = count);
                    if (subtasks.values().stream().mapToLong(Long::longValue).sum() > 0) {
                        result.put(operator, perSubtask);
                    }
                });
        return result;
    }

    /** The factory Flink instantiates from {@code metrics.reporter.<name>.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(java.util.Properties properties) {
            return new SubtaskRecords();
        }
    }
}
