package io.tidemark.common.runtime.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;

/**
 * A task metric group whose registry keeps every metric an operator registers, by its path below
 * the {@code tidemark} group ({@code read}, {@code reason.LATE.dlq}, {@code
 * partition.clicks/0.maxEventTime}, …): pass {@link #environment()} to an operator test harness.
 */
public final class CapturedMetrics {

    private final Map<String, Metric> metrics = new ConcurrentHashMap<>();
    private final TaskMetricGroup task;

    public CapturedMetrics() {
        TestingMetricRegistry registry =
                TestingMetricRegistry.builder()
                        .setDelimiter('.')
                        .setRegisterConsumer(
                                (metric, name, group) -> {
                                    String id = group.getMetricIdentifier(name);
                                    String marker = "." + TidemarkMetrics.GROUP + ".";
                                    int at = id.indexOf(marker);
                                    if (at >= 0) {
                                        metrics.put(id.substring(at + marker.length()), metric);
                                    }
                                })
                        .build();
        task =
                TaskManagerMetricGroup.createTaskManagerMetricGroup(
                                registry, "localhost", ResourceID.generate())
                        .addJob(new JobID(), "test-job")
                        .addTask(ExecutionAttemptID.randomId(), "test-task");
    }

    /** A mock environment whose operators register their metrics here. */
    public MockEnvironment environment() {
        return new MockEnvironmentBuilder().setMetricGroup(task).build();
    }

    /** The paths of everything registered under {@code tidemark}, sorted. */
    public Map<String, Metric> all() {
        return new TreeMap<>(metrics);
    }

    public long count(String path) {
        Metric metric = metrics.get(path);
        if (!(metric instanceof Counter counter)) {
            throw new AssertionError("no counter tidemark." + path + " in " + all().keySet());
        }
        return counter.getCount();
    }

    public Object gauge(String path) {
        Metric metric = metrics.get(path);
        if (!(metric instanceof Gauge<?> gauge)) {
            throw new AssertionError("no gauge tidemark." + path + " in " + all().keySet());
        }
        return gauge.getValue();
    }
}
