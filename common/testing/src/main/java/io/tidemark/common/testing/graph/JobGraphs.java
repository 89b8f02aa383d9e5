package io.tidemark.common.testing.graph;

import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;

/**
 * The graph a job builds, without running it or reaching a broker: what uid manifests are checked
 * against.
 */
public final class JobGraphs {

    private JobGraphs() {}

    /**
     * The uid of every operator in the job's graph under its default configuration, in the order
     * the operators were created. Sinks are at-least-once here only so that the exactly-once
     * preflight does not ask a broker for its limits; uids do not depend on the guarantee.
     */
    public static List<String> uids(TidemarkJob job) {
        return uids(job, Map.of());
    }

    /** Like {@link #uids(TidemarkJob)}, with configuration overrides. */
    public static List<String> uids(TidemarkJob job, Map<String, String> overrides) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("kafka.bootstrap.servers", "localhost:9");
        raw.put("sink.delivery-guarantee", "AT_LEAST_ONCE");
        raw.putAll(overrides);
        Configuration conf = ConfigLoader.validate(raw, job.options(), Map.of());
        StreamExecutionEnvironment env =
                TidemarkEnvironment.create(TidemarkConfig.from(conf, job.name()));
        job.build(env, conf);
        StreamGraph graph = env.getStreamGraph();
        return graph.getStreamNodes().stream()
                .sorted(Comparator.comparingInt(StreamNode::getId))
                .map(StreamNode::getTransformationUID)
                .filter(Objects::nonNull)
                .toList();
    }
}
