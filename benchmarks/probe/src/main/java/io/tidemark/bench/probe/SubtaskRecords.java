package io.tidemark.bench.probe;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.metrics.reporter.Scheduled;

/**
 * A Flink metric reporter that keeps every operator subtask's {@code numRecordsIn}, so a variant
 * can show how its load spreads over subtasks (a stage whose records all land on one subtask does
 * not scale). Counters are read when Flink removes them (the task finished) and again on demand;
 * the values live in this JVM, read with {@link #snapshot()} after the job ends.
 *
 * <p>It also samples the job's checkpoint gauges ({@code numberOfCompletedCheckpoints}, {@code
 * lastCheckpointDuration}, {@code lastCheckpointSize}, {@code lastCheckpointFullSize}) at every
 * report interval and when the job ends, keeping the largest value of each: {@link #checkpoints()}.
 *
 * <p>Enable it with {@code metrics.reporter.bench.factory.class:
 * io.tidemark.bench.probe.SubtaskRecords$Factory}.
 */
public final class SubtaskRecords implements MetricReporter, Scheduled {

    /** {@code <operator name>#<subtask index>} → its counter, while the task runs. */
    private static final Map<String, Counter> LIVE = new ConcurrentHashMap<>();

    /** {@code <operator name>#<subtask index>} → its final count, once the task finished. */
    private static final Map<String, Long> FINISHED = new ConcurrentHashMap<>();

    /** The job's checkpoint gauges, by metric name, while the job runs. */
    private static final Map<String, Gauge<?>> CHECKPOINT_GAUGES = new ConcurrentHashMap<>();

    /** The largest value each checkpoint gauge was seen with. */
    private static final Map<String, Long> CHECKPOINT_MAX = new ConcurrentHashMap<>();

    private static final Set<String> CHECKPOINT_METRICS =
            Set.of(
                    "numberOfCompletedCheckpoints",
                    "lastCheckpointDuration",
                    "lastCheckpointSize",
                    "lastCheckpointFullSize");

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void report() {
        sampleCheckpoints();
    }

    private static void sample(String name, Gauge<?> gauge) {
        // -1 until the job's checkpoint statistics hold a completed checkpoint
        if (gauge.getValue() instanceof Number value && value.longValue() >= 0) {
            CHECKPOINT_MAX.merge(name, value.longValue(), Math::max);
        }
    }

    /**
     * The largest value seen of each checkpoint gauge: completed checkpoints, the longest duration
     * (ms) and the largest size and full size (bytes) of a last completed checkpoint. Empty when
     * the job completed none.
     */
    public static Map<String, Long> checkpoints() {
        sampleCheckpoints();
        return new TreeMap<>(CHECKPOINT_MAX);
    }

    private static void sampleCheckpoints() {
        CHECKPOINT_GAUGES.forEach(SubtaskRecords::sample);
    }

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        if (CHECKPOINT_METRICS.contains(metricName) && metric instanceof Gauge<?> gauge) {
            CHECKPOINT_GAUGES.put(metricName, gauge);
            return;
        }
        String id = id(metricName, group);
        if (id != null && metric instanceof Counter counter) {
            LIVE.put(id, counter);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        if (CHECKPOINT_METRICS.contains(metricName) && metric instanceof Gauge<?> gauge) {
            sample(metricName, gauge); // the job ended: its last values
            CHECKPOINT_GAUGES.remove(metricName, gauge);
            return;
        }
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
