package io.tidemark.common.runtime.job;

import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.ingest.InputTap;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What tools need to know to run a Tidemark job without knowing the job: its options, its input and
 * output topics, and how to wire it into an environment. Each job module has one implementation;
 * its {@code main} and the CLI's replay/demo both go through it, so tools always run the real
 * topology.
 */
public interface TidemarkJob {

    /** The job's name: {@code sessionization}, {@code enrichment}, … */
    String name();

    /** The job's own options (the common ones are always accepted). */
    List<ConfigOption<?>> options();

    /** Source topics under a validated configuration, in a fixed order. */
    List<JobTopic> inputs(Configuration conf);

    /**
     * Result topics (upsert streams keyed by a result key) as configured, in a fixed order, without
     * the output suffix; see {@link #resultTopics}.
     */
    List<JobTopic> outputs(Configuration conf);

    /** The result topics this run writes: {@link #outputs} with {@code topics.output-suffix}. */
    default List<JobTopic> resultTopics(Configuration conf) {
        TidemarkConfig common = TidemarkConfig.from(conf, name());
        return outputs(conf).stream()
                .map(t -> new JobTopic(t.role(), common.outputTopic(t.topic()), t.type()))
                .toList();
    }

    /** The late and DLQ topics, both holding {@code ErrorEnvelope}s. */
    default List<JobTopic> errorTopics(Configuration conf) {
        TidemarkConfig common = TidemarkConfig.from(conf, name());
        return List.of(
                new JobTopic("late", common.lateTopic(), "ErrorEnvelope"),
                new JobTopic("dlq", common.dlqTopic(), "ErrorEnvelope"));
    }

    /**
     * Every operator uid of the job's graph as it runs by default, in topology order: the keys of
     * its state manifest. Declared in one place per job ({@code <Job>Uids}); a test per job checks
     * it against the built graph, so a renamed or added operator cannot go unnoticed.
     */
    List<String> operatorUids();

    /**
     * Wires sources, the topology and sinks into {@code env}, after the sink preflight.
     *
     * @param conf a configuration validated against {@link #options()}
     */
    default void build(StreamExecutionEnvironment env, Configuration conf) {
        build(env, conf, InputTap.NONE);
    }

    /**
     * Like {@link #build(StreamExecutionEnvironment, Configuration)}, with {@code tap} inserted
     * after each source (tests and tools only).
     */
    void build(StreamExecutionEnvironment env, Configuration conf, InputTap tap);
}
