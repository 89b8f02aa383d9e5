package io.tidemark.common.testing.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.local.metrics.ProgressReporter;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.schemas.AvroJson;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecution;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.taskexecutor.TaskExecutor;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the failure and upgrade tests need around a job they drive themselves: starting it
 * asynchronously on the MiniCluster, loading input in slices, waiting on conditions (never on
 * time), killing the TaskManager that runs it, and the exactly-once checks on the broker (raw
 * records per key, open transactions).
 */
public final class LiveJobs {

    /**
     * True once the consumer group {@code groupId} has committed the end offset of every partition
     * of {@code topics}: Tidemark's sources commit offsets when a checkpoint completes, so
     * everything written so far has been read and is covered by a completed checkpoint.
     */
    public static boolean consumedAndCheckpointed(
            Admin admin, String groupId, Collection<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics)
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .forEach(
                        (topic, description) ->
                                description
                                        .partitions()
                                        .forEach(
                                                p ->
                                                        latest.put(
                                                                new TopicPartition(
                                                                        topic, p.partition()),
                                                                OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
                admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(groupId)
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
        return end.entrySet().stream()
                .allMatch(
                        e ->
                                e.getValue().offset() == 0
                                        || (committed.get(e.getKey()) != null
                                                && committed.get(e.getKey()).offset()
                                                        >= e.getValue().offset()));
    }

    /** Transaction states that mean a transaction is still open on the broker. */
    public static final Set<TransactionState> OPEN =
            EnumSet.of(
                    TransactionState.ONGOING,
                    TransactionState.PREPARE_COMMIT,
                    TransactionState.PREPARE_ABORT,
                    TransactionState.PREPARE_EPOCH_FENCE);

    private static final long POLL_MS = 50;

    private LiveJobs() {}

    /** Creates every input, result and error topic of the job on a fresh broker. */
    public static void createTopics(
            EmbeddedKafka kafka, TidemarkJob job, Configuration conf, int partitions) {
        for (JobTopic topic : job.inputs(conf)) {
            kafka.createTopic(topic.topic(), partitions);
        }
        for (JobTopic topic : job.resultTopics(conf)) {
            kafka.createTopic(topic.topic(), partitions);
        }
        for (JobTopic topic : job.errorTopics(conf)) {
            kafka.createTopic(topic.topic(), partitions);
        }
    }

    /**
     * Builds the real job the way {@code Replay} does, with {@code tap} after its sources ({@link
     * InputTap#NONE} for none), and submits it without waiting.
     */
    public static JobClient start(TidemarkJob job, Configuration conf, InputTap tap, String name)
            throws Exception {
        TidemarkConfig common = TidemarkConfig.from(conf, job.name());
        StreamExecutionEnvironment env = TidemarkEnvironment.create(common);
        job.build(env, conf, tap);
        return env.executeAsync(name);
    }

    /**
     * Cuts the inputs into {@code count} slices that cover the same stretches of event time: the
     * lead role (e.g. orders) by count, every other input where its times pass the time of the
     * first lead line of the next slice. Each slice of a role is a contiguous run of its lines, so
     * loading the slices one after another writes every partition in the same order as loading the
     * whole file; loading the first {@code k} slices lets the join emit the orders up to about
     * slice {@code k}'s end.
     *
     * @return per slice, role → lines
     */
    public static List<Map<String, List<String>>> slices(
            Map<String, List<String>> inputs, int count, String leadRole) {
        List<String> orders = inputs.get(leadRole);
        if (orders == null) {
            throw new IllegalArgumentException("no input " + leadRole + " in " + inputs.keySet());
        }
        long[] cuts = new long[count - 1];
        List<Integer> orderBounds = new ArrayList<>();
        orderBounds.add(0);
        for (int k = 1; k < count; k++) {
            int index = k * orders.size() / count;
            orderBounds.add(index);
            long cut = Long.MAX_VALUE;
            for (int i = index; i < orders.size() && cut == Long.MAX_VALUE; i++) {
                cut = timeOf(orders.get(i));
            }
            cuts[k - 1] = cut;
        }
        orderBounds.add(orders.size());
        Map<String, List<Integer>> bounds = new HashMap<>();
        bounds.put(leadRole, orderBounds);
        for (Map.Entry<String, List<String>> input : inputs.entrySet()) {
            if (input.getKey().equals(leadRole)) {
                continue;
            }
            List<String> lines = input.getValue();
            List<Integer> cut = new ArrayList<>();
            cut.add(0);
            int i = 0;
            for (int k = 1; k < count; k++) {
                while (i < lines.size() && timeOf(lines.get(i)) <= cuts[k - 1]) {
                    i++;
                }
                cut.add(i);
            }
            cut.add(lines.size());
            bounds.put(input.getKey(), cut);
        }
        List<Map<String, List<String>>> slices = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Map<String, List<String>> slice = new HashMap<>();
            for (Map.Entry<String, List<Integer>> bound : bounds.entrySet()) {
                slice.put(
                        bound.getKey(),
                        inputs.get(bound.getKey())
                                .subList(bound.getValue().get(k), bound.getValue().get(k + 1)));
            }
            slices.add(slice);
        }
        return slices;
    }

    /**
     * The change time ({@code ts_ms}) or event time of a line; lines without one (bad records) sort
     * with the lines before them.
     */
    private static long timeOf(String line) {
        try {
            JsonNode node = AvroJson.MAPPER.readTree(line);
            if (node.path("ts_ms").isNumber()) {
                return node.get("ts_ms").longValue();
            }
            if (node.path("eventTime").isTextual()) {
                return AvroJson.parseInstant(node.get("eventTime").textValue());
            }
        } catch (IOException | RuntimeException e) {
            // a deliberately bad line: no time of its own
        }
        return Long.MIN_VALUE;
    }

    /** Writes the given lines of each role into its input topic, roles in the job's order. */
    public static void load(
            TidemarkJob job,
            Configuration conf,
            String bootstrap,
            Map<String, List<String>> lines,
            String label) {
        for (JobTopic topic : job.inputs(conf)) {
            JsonLinesLoader.load(
                    lines.get(topic.role()),
                    topic.role() + " " + label,
                    topic.topic(),
                    topic.type(),
                    bootstrap,
                    new Properties());
        }
    }

    /** Every committed record's key, counted (a null key counts as "null"). */
    public static Map<String, Integer> keyCounts(String bootstrap, String topic) {
        Map<String, Integer> counts = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                CommittedReader.read(bootstrap, topic, new Properties())) {
            String key =
                    record.key() == null
                            ? "null"
                            : new String(record.key(), StandardCharsets.UTF_8);
            counts.merge(key, 1, Integer::sum);
        }
        return counts;
    }

    /** Keys committed more than once, with their counts. */
    public static Map<String, Integer> duplicates(Map<String, Integer> keyCounts) {
        Map<String, Integer> out = new TreeMap<>();
        keyCounts.forEach(
                (key, count) -> {
                    if (count > 1) {
                        out.put(key, count);
                    }
                });
        return out;
    }

    public static int total(Map<String, Integer> keyCounts) {
        return keyCounts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Transactions the broker still holds open ({@code id=STATE}). */
    public static List<String> openTransactions(Admin admin) throws Exception {
        Collection<TransactionListing> listings =
                admin.listTransactions().all().get(30, TimeUnit.SECONDS);
        List<String> open = new ArrayList<>();
        for (TransactionListing listing : listings) {
            if (OPEN.contains(listing.state())) {
                open.add(listing.transactionalId() + "=" + listing.state());
            }
        }
        return open;
    }

    /** How many transactional ids the broker knows, per state (for the report). */
    public static Map<TransactionState, Integer> transactionStates(Admin admin) throws Exception {
        Map<TransactionState, Integer> states = new TreeMap<>();
        for (TransactionListing listing :
                admin.listTransactions().all().get(30, TimeUnit.SECONDS)) {
            states.merge(listing.state(), 1, Integer::sum);
        }
        return states;
    }

    // ------------------------------------------------------------------ waiting

    public interface Check {
        public boolean holds() throws Exception;
    }

    /**
     * Re-checks {@code condition} until it holds; fails on the deadline, and as soon as the job (if
     * given) reaches a terminal state.
     */
    public static void await(String what, Duration timeout, JobClient client, Check condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (client != null) {
                JobStatus status = client.getJobStatus().get(30, TimeUnit.SECONDS);
                if (status.isGloballyTerminalState()) {
                    throw new AssertionError(
                            "the job ended (" + status + ") while waiting for " + what);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(POLL_MS); // re-check a condition
        }
    }

    /**
     * Counts committed records per topic with one read_committed consumer that keeps its position,
     * so waiting for output to grow reads each record once.
     */
    public static final class CommittedCounter implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<String, Integer> counts = new HashMap<>();

        public CommittedCounter(String bootstrap, Collection<String> topics, int partitions) {
            consumer =
                    new KafkaConsumer<>(
                            CommittedReader.consumerProperties(bootstrap, new Properties()));
            List<TopicPartition> assigned = new ArrayList<>();
            for (String topic : topics) {
                counts.put(topic, 0);
                for (int p = 0; p < partitions; p++) {
                    assigned.add(new TopicPartition(topic, p));
                }
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
        }

        /** Reads what became visible since the last call; returns the count of {@code topic}. */
        public int count(String topic) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                counts.merge(record.topic(), 1, Integer::sum);
            }
            return counts.get(topic);
        }

        /** The summed counts of {@code topics}, after reading what became visible. */
        public int total(Collection<String> topics) {
            Map<String, Integer> now = counts();
            return topics.stream().mapToInt(t -> now.getOrDefault(t, 0)).sum();
        }

        /** Current counts of all topics, after reading what became visible. */
        public Map<String, Integer> counts() {
            count(counts.keySet().iterator().next());
            return new TreeMap<>(counts);
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    // ------------------------------------------------------------------ the job on the cluster

    public static AccessExecutionGraph graph(MiniCluster cluster, JobID job) throws Exception {
        return cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS);
    }

    /** The highest execution attempt number of any subtask: how often the job failed over. */
    public static int maxAttempt(AccessExecutionGraph graph) {
        int max = 0;
        for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
            max = Math.max(max, vertex.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return max;
    }

    /**
     * True once the ingest stages have read {@code records} records since the last {@link
     * ProgressReporter#reset} (every record passes their read counter, so a savepoint or a drain
     * taken now comes after all of them) and every task of {@code job} runs. Faster than {@link
     * #consumedAndCheckpointed}, whose offsets the Kafka source first commits about 10 s late.
     * Needs the progress reporter {@code TidemarkMiniCluster} configures.
     */
    public static boolean readAndRunning(MiniCluster cluster, JobID job, long records)
            throws Exception {
        return ProgressReporter.snapshot().recordsRead() >= records
                && allRunning(graph(cluster, job));
    }

    public static boolean allRunning(AccessExecutionGraph graph) {
        if (graph.getState() != JobStatus.RUNNING) {
            return false;
        }
        for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
            if (vertex.getCurrentExecutionAttempt().getState() != ExecutionState.RUNNING) {
                return false;
            }
        }
        return true;
    }

    public static long completedCheckpoints(AccessExecutionGraph graph) {
        CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
        return stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
    }

    public static long restoredCheckpoints(AccessExecutionGraph graph) {
        CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
        return stats == null ? 0 : stats.getCounts().getNumberOfRestoredCheckpoints();
    }

    /**
     * Terminates the TaskManager that runs subtask 0 of the job's first vertex (a source) and
     * starts a fresh one in its place, so the job must fail over and may be rescheduled on the new
     * TaskManager.
     *
     * <p>{@link MiniCluster} keeps its TaskExecutors in a private list and exposes only {@code
     * terminateTaskManager(index)}; the list is read reflectively to find the index of the one
     * running the job (terminated TaskManagers stay in the list, new ones are appended).
     *
     * @return the index of the terminated TaskManager
     */
    public static int replaceTaskManagerOf(MiniCluster cluster, JobID job) throws Exception {
        AccessExecutionGraph graph = graph(cluster, job);
        Set<ResourceID> running = new HashSet<>();
        ResourceID first = null;
        for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
            AccessExecution execution = vertex.getCurrentExecutionAttempt();
            if (execution.getState() == ExecutionState.RUNNING
                    && execution.getAssignedResourceLocation() != null) {
                ResourceID id = execution.getAssignedResourceLocation().getResourceID();
                running.add(id);
                if (first == null) {
                    first = id;
                }
            }
        }
        if (first == null) {
            throw new IllegalStateException("job " + job + " has no running subtask to kill");
        }
        List<TaskExecutor> taskExecutors = taskExecutors(cluster);
        for (int i = 0; i < taskExecutors.size(); i++) {
            if (taskExecutors.get(i).getResourceID().equals(first)) {
                cluster.terminateTaskManager(i).get(60, TimeUnit.SECONDS);
                cluster.startTaskManager();
                return i;
            }
        }
        throw new IllegalStateException(
                "no TaskManager of the MiniCluster has resource id "
                        + first
                        + " (running on "
                        + running
                        + ")");
    }

    @SuppressWarnings("unchecked")
    private static List<TaskExecutor> taskExecutors(MiniCluster cluster) throws Exception {
        Field field = MiniCluster.class.getDeclaredField("taskManagers");
        field.setAccessible(true);
        return new ArrayList<>((List<TaskExecutor>) field.get(cluster));
    }

    /** Stops the job with a canonical savepoint (no end-of-time watermark) and waits for it. */
    public static String stopWithSavepoint(JobClient client, String directory) throws Exception {
        String path =
                client.stopWithSavepoint(false, directory, SavepointFormatType.CANONICAL)
                        .get(120, TimeUnit.SECONDS);
        client.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        return path;
    }

    /** Cancels the job if it still runs (cleanup after a failed assertion). */
    public static void cancelQuietly(JobClient client) {
        try {
            JobStatus status = client.getJobStatus().get(30, TimeUnit.SECONDS);
            if (!status.isGloballyTerminalState()) {
                client.cancel().get(60, TimeUnit.SECONDS);
            }
            // Until the job has ended, its slots are not free for the next one.
            client.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the job is gone already (a cancelled job's result completes exceptionally)
        }
    }

    /**
     * Settings of a live run that must survive failures: checkpoints every 300 ms into files under
     * {@code checkpoints} (so state outlives a lost TaskManager) and restarts without back-off.
     */
    public static Map<String, String> recoverable(java.nio.file.Path checkpoints) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("checkpoint.interval", "300 ms");
        settings.put("checkpoint.dir", checkpoints.toUri().toString());
        settings.put("flink.restart-strategy.type", "fixed-delay");
        settings.put("flink.restart-strategy.fixed-delay.attempts", "100");
        settings.put("flink.restart-strategy.fixed-delay.delay", "100 ms");
        return settings;
    }

    /** True when every topic of {@code target} has at least its count in {@code counts}. */
    public static boolean reached(Map<String, Integer> counts, Map<String, Integer> target) {
        for (Map.Entry<String, Integer> t : target.entrySet()) {
            if (counts.getOrDefault(t.getKey(), 0) < t.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The first {@code n} entries, for short failure messages. */
    public static Map<String, Integer> first(Map<String, Integer> map, int n) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        map.entrySet().stream().limit(n).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Milliseconds since a {@link System#nanoTime()} reading (for printed timings only). */
    public static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
