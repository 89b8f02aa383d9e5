package io.tidemark.common.testing.replay;

import io.tidemark.common.runtime.chaos.FailureInjector;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.testing.EmbeddedKafka;
import io.tidemark.common.testing.JsonLinesLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs the real job <em>while</em> its input is produced, in a chosen {@link ArrivalOrder}: the job
 * starts unbounded on empty topics, reads records as they arrive, and once it has read them all it
 * is stopped with a draining savepoint (which fires every window, as the end of a bounded input
 * would). The output must equal a {@link Replay} of the same input: arrival order is one of the
 * perturbations of DESIGN.md §1.
 *
 * <p>Needs the {@link ProgressReporter} in the cluster (it is in {@code TidemarkMiniCluster} and in
 * the replay configuration) to know when everything was read.
 */
public final class LiveReplay {

    private static final Duration READ_ALL_TIMEOUT = Duration.ofMinutes(3);

    private LiveReplay() {}

    public static ReplayResult run(
            TidemarkJob job,
            Map<String, List<String>> inputs,
            ReplayOptions options,
            ArrivalOrder order,
            EmbeddedKafka kafka)
            throws Exception {
        Map<String, String> live = new java.util.HashMap<>(options.overrides());
        live.put("source.stop", "none");
        ReplayOptions unbounded =
                new ReplayOptions(
                        options.partitions(), options.parallelism(), options.mode(), live);
        Configuration conf = Replay.configuration(job, unbounded, kafka.bootstrapServers());

        List<List<ProducerRecord<byte[], byte[]>>> perTopic = new ArrayList<>();
        SortedMap<String, Long> loaded = new TreeMap<>();
        for (JobTopic topic : job.inputs(conf)) {
            kafka.createTopic(topic.topic(), options.partitions());
            List<ProducerRecord<byte[], byte[]>> records =
                    JsonLinesLoader.toRecords(
                            Replay.linesOf(inputs, topic),
                            topic.role(),
                            topic.topic(),
                            topic.type(),
                            options.partitions());
            perTopic.add(records);
            loaded.put(topic.role(), (long) records.size());
        }
        Replay.createWrittenTopics(job, conf, options.partitions(), kafka);

        TidemarkConfig common = TidemarkConfig.from(conf, job.name());
        int injectedBefore = FailureInjector.INJECTED.get();
        var env = TidemarkEnvironment.create(common);
        job.build(env, conf);
        JobClient client = env.executeAsync("tidemark-live-replay-" + job.name());
        try {
            JsonLinesLoader.send(
                    order.arrange(perTopic), kafka.bootstrapServers(), new Properties());
            awaitAllCommitted(client, common, job.inputs(conf), kafka, injectedBefore);
            Path savepoints = Files.createTempDirectory("tidemark-live-replay");
            client.stopWithSavepoint(
                            true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(READ_ALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            client.getJobExecutionResult().get(READ_ALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            client.cancel();
            throw e;
        }
        return Replay.readResult(job, conf, kafka, loaded);
    }

    /**
     * Stops the job with a draining savepoint. Records can be read while downstream tasks are still
     * initializing, and a savepoint is refused until every task runs, so a refusal is retried until
     * a deadline.
     */
    private static void stopDraining(JobClient client) throws Exception {
        Path savepoints = Files.createTempDirectory("tidemark-live-replay");
        long deadline = System.nanoTime() + READ_ALL_TIMEOUT.toNanos();
        while (true) {
            try {
                client.stopWithSavepoint(
                                true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(READ_ALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                boolean notAllRunning =
                        String.valueOf(e.getMessage()).contains("not being executed")
                                || String.valueOf(e.getMessage())
                                        .contains("Not all required tasks");
                if (!notAllRunning || System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    /**
     * Waits until a completed checkpoint covers every produced record — the job's consumer group
     * has committed the end offset of every input partition (Kafka sources commit on checkpoints) —
     * and, with {@code chaos.failures}, until every failure has been injected. Offsets, unlike
     * counters, survive restarts.
     */
    private static void awaitAllCommitted(
            JobClient client,
            TidemarkConfig common,
            List<JobTopic> inputs,
            EmbeddedKafka kafka,
            int injectedBefore)
            throws Exception {
        Admin admin = kafka.admin();
        List<TopicPartition> partitions = new ArrayList<>();
        for (JobTopic topic : inputs) {
            admin.describeTopics(List.of(topic.topic()))
                    .allTopicNames()
                    .get()
                    .get(topic.topic())
                    .partitions()
                    .forEach(p -> partitions.add(new TopicPartition(topic.topic(), p.partition())));
        }
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> end = new java.util.HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));

        long deadline = System.nanoTime() + READ_ALL_TIMEOUT.toNanos();
        while (true) {
            boolean failuresDone =
                    FailureInjector.INJECTED.get() - injectedBefore >= common.chaosFailures();
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(common.groupId())
                            .partitionsToOffsetAndMetadata()
                            .get();
            boolean allCommitted =
                    partitions.stream()
                            .allMatch(
                                    tp ->
                                            end.get(tp) == 0
                                                    || (committed.get(tp) != null
                                                            && committed.get(tp).offset()
                                                                    >= end.get(tp)));
            if (failuresDone && allCommitted) {
                return;
            }
            if (client.getJobStatus().get().isGloballyTerminalState()) {
                throw new IllegalStateException(
                        "job ended before consuming its input: " + client.getJobStatus().get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "input not consumed within "
                                + READ_ALL_TIMEOUT
                                + ": committed "
                                + committed
                                + ", end "
                                + end
                                + ", failures injected "
                                + (FailureInjector.INJECTED.get() - injectedBefore));
            }
            try {
                // Re-check the condition; never a wait for results by itself.
                client.getJobExecutionResult().get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                // keep polling
            }
        }
    }
}
