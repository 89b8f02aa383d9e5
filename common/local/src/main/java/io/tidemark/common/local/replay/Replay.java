package io.tidemark.common.local.replay;

import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.local.LoadResult;
import io.tidemark.common.local.metrics.ProgressReporterFactory;
import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the real job over JSON Lines input: loads each input into a fresh topic of a running broker,
 * runs the job bounded at the offsets latest at start until the input is consumed, and reads back
 * what it committed. Used by {@code tidemark replay}, the demo and the ITCases, so all three
 * exercise the same path.
 *
 * <p>The job runs in the current Flink context: a MiniCluster when called from a test with the
 * MiniCluster extension, a local MiniCluster otherwise.
 */
public final class Replay {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Replay.class);

    private Replay() {}

    /**
     * Reads the inputs of a job from a file (jobs with one input) or a directory holding {@code
     * <role>.jsonl} per input (e.g. {@code orders.jsonl}, {@code products.jsonl}).
     */
    public static Map<String, List<String>> readInputs(TidemarkJob job, Path input) {
        List<JobTopic> topics = job.inputs(defaultConfiguration(job, "localhost:0"));
        Map<String, List<String>> lines = new LinkedHashMap<>();
        if (Files.isRegularFile(input)) {
            if (topics.size() != 1) {
                throw new IllegalArgumentException(
                        job.name()
                                + " reads "
                                + topics.size()
                                + " topics: --input must be a directory holding "
                                + String.join(", ", fileNames(topics)));
            }
            lines.put(topics.get(0).role(), readLines(input));
            return lines;
        }
        if (!Files.isDirectory(input)) {
            throw new IllegalArgumentException("--input " + input + " does not exist");
        }
        for (JobTopic topic : topics) {
            Path file = input.resolve(topic.role() + ".jsonl");
            if (topics.size() == 1 && !Files.exists(file)) {
                file = input.resolve("input.jsonl");
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(
                        "--input " + input + " has no " + topic.role() + ".jsonl");
            }
            lines.put(topic.role(), readLines(file));
        }
        return lines;
    }

    /**
     * Runs {@code job} over {@code inputs} (role → JSON lines) on {@code kafka}. Topics are created
     * fresh, so each broker can host one replay per job name and topic set; pass {@code topics.*}
     * overrides to run several on one broker.
     */
    public static ReplayResult run(
            TidemarkJob job,
            Map<String, List<String>> inputs,
            ReplayOptions options,
            EmbeddedKafka kafka)
            throws Exception {
        Configuration conf = configuration(job, options, kafka.bootstrapServers());
        SortedMap<String, Long> loaded = new TreeMap<>();
        for (JobTopic topic : job.inputs(conf)) {
            kafka.createTopic(topic.topic(), options.partitions());
            LoadResult result =
                    JsonLinesLoader.load(
                            linesOf(inputs, topic),
                            topic.role(),
                            topic.topic(),
                            topic.type(),
                            kafka.bootstrapServers(),
                            new Properties());
            loaded.put(topic.role(), result.total());
        }
        createWrittenTopics(job, conf, options.partitions(), kafka);

        TidemarkConfig common = TidemarkConfig.from(conf, job.name());
        StreamExecutionEnvironment env = TidemarkEnvironment.create(common);
        job.build(env, conf, options.tap());
        env.execute("tidemark-replay-" + job.name());
        ReplayResult result = readResult(job, conf, kafka, loaded);
        for (JobTopic topic : written(job, conf)) {
            logAbortedRecords(kafka.bootstrapServers(), topic.topic());
        }
        return result;
    }

    static List<String> linesOf(Map<String, List<String>> inputs, JobTopic topic) {
        List<String> lines = inputs.get(topic.role());
        if (lines == null) {
            throw new IllegalArgumentException("no input given for " + topic.role());
        }
        return lines;
    }

    /** Creates the result, late and DLQ topics of a run. */
    static void createWrittenTopics(
            TidemarkJob job, Configuration conf, int partitions, EmbeddedKafka kafka) {
        for (JobTopic topic : written(job, conf)) {
            kafka.createTopic(topic.topic(), partitions);
        }
    }

    private static List<JobTopic> written(TidemarkJob job, Configuration conf) {
        List<JobTopic> written = new java.util.ArrayList<>(job.resultTopics(conf));
        written.addAll(job.errorTopics(conf));
        return written;
    }

    /** Once the job is done: waits for its transactions to settle and reads what it committed. */
    static ReplayResult readResult(
            TidemarkJob job,
            Configuration conf,
            EmbeddedKafka kafka,
            SortedMap<String, Long> loaded) {
        CommittedReader.awaitSettled(
                kafka.bootstrapServers(),
                written(job, conf).stream().map(JobTopic::topic).toList(),
                CommittedReader.DEFAULT_TIMEOUT);
        SortedMap<String, List<String>> outputs = new TreeMap<>();
        for (JobTopic topic : job.resultTopics(conf)) {
            outputs.put(
                    topic.role(),
                    CommittedReader.canonicalLinesLastPerKey(
                            kafka.bootstrapServers(), topic.topic()));
        }
        Map<String, List<String>> errors = new HashMap<>();
        for (JobTopic topic : job.errorTopics(conf)) {
            errors.put(
                    topic.role(),
                    CommittedReader.canonicalLinesLastPerKey(
                            kafka.bootstrapServers(), topic.topic()));
        }
        return new ReplayResult(
                outputs,
                errors.getOrDefault("late", List.of()),
                errors.getOrDefault("dlq", List.of()),
                loaded);
    }

    /**
     * Records of {@code topic} in aborted transactions, per partition: what a read_uncommitted
     * consumer sees and a read_committed one does not. A replay runs without failures, so a
     * transaction holding records should never be aborted; any found here is output the
     * exactly-once sink lost, and the committed output no longer equals the job's result.
     */
    public static Map<Integer, Integer> abortedRecords(String bootstrapServers, String topic) {
        Properties uncommitted = new Properties();
        uncommitted.setProperty("isolation.level", "read_uncommitted");
        Map<Integer, Integer> written =
                perPartition(CommittedReader.read(bootstrapServers, topic, uncommitted));
        Map<Integer, Integer> committed =
                perPartition(CommittedReader.read(bootstrapServers, topic, new Properties()));
        Map<Integer, Integer> aborted = new TreeMap<>();
        written.forEach(
                (partition, count) -> {
                    int lost = count - committed.getOrDefault(partition, 0);
                    if (lost != 0) {
                        aborted.put(partition, lost);
                    }
                });
        return aborted;
    }

    private static void logAbortedRecords(String bootstrapServers, String topic) {
        abortedRecords(bootstrapServers, topic)
                .forEach(
                        (partition, lost) ->
                                LOG.error(
                                        "{} records written to {}-{} are in aborted transactions:"
                                                + " the exactly-once sink lost them in a"
                                                + " failure-free run",
                                        lost,
                                        topic,
                                        partition));
    }

    private static Map<Integer, Integer> perPartition(
            List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, Integer> counts = new TreeMap<>();
        records.forEach(r -> counts.merge(r.partition(), 1, Integer::sum));
        return counts;
    }

    /** The job configuration a replay uses: bounded, small checkpoint interval, user overrides. */
    public static Configuration configuration(
            TidemarkJob job, ReplayOptions options, String bootstrapServers) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("kafka.bootstrap.servers", bootstrapServers);
        raw.put("source.stop", "latest");
        raw.put("checkpoint.interval", "1 s");
        raw.put("parallelism", Integer.toString(options.parallelism()));
        raw.put("execution.mode", options.mode().name());
        if (options.mode() == ExecutionMode.BATCH) {
            raw.put("state.backend", "HASHMAP");
        }
        // Progress (records read) for tools; a no-op when the cluster was configured elsewhere.
        raw.put(
                "flink.metrics.reporter.progress.factory.class",
                ProgressReporterFactory.class.getName());
        raw.putAll(options.overrides());
        return ConfigLoader.validate(raw, job.options(), System.getenv());
    }

    private static Configuration defaultConfiguration(TidemarkJob job, String bootstrapServers) {
        return configuration(job, ReplayOptions.defaults(), bootstrapServers);
    }

    private static List<String> fileNames(List<JobTopic> topics) {
        return topics.stream().map(t -> t.role() + ".jsonl").toList();
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
