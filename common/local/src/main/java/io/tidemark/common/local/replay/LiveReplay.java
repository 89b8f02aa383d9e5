package io.tidemark.common.local.replay;

import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.local.chaos.FailureInjection;
import io.tidemark.common.local.chaos.FailureInjector;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.job.TidemarkJob;
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
        Live live = prepare(job, inputs, options, kafka);
        int injectedBefore = FailureInjector.INJECTED.get();
        JobClient client = live.start(job, live.conf);
        try {
            JsonLinesLoader.send(
                    order.arrange(live.perTopic), kafka.bootstrapServers(), new Properties());
            awaitAllCommitted(
                    client,
                    live.common,
                    job.inputs(live.conf),
                    kafka,
                    injectedBefore,
                    FailureInjection.expectedFrom(options.tap()));
            stopDraining(client);
            client.getJobExecutionResult().get(READ_ALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            client.cancel();
            throw e;
        }
        return Replay.readResult(job, live.conf, kafka, live.loaded);
    }

    /**
     * An upgrade in the middle of the input: the job reads the first half of every partition, is
     * stopped with a savepoint (not drained: open sessions and windows stay in state), and a new
     * job restored from it at {@code restoreParallelism} reads the rest.
     */
    public static ReplayResult runWithSavepointUpgrade(
            TidemarkJob job,
            Map<String, List<String>> inputs,
            ReplayOptions options,
            int restoreParallelism,
            EmbeddedKafka kafka)
            throws Exception {
        Live live = prepare(job, inputs, options, kafka);
        List<ProducerRecord<byte[], byte[]>> first = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> second = new ArrayList<>();
        for (List<ProducerRecord<byte[], byte[]>> topic : live.perTopic) {
            first.addAll(topic.subList(0, topic.size() / 2));
            second.addAll(topic.subList(topic.size() / 2, topic.size()));
        }
        String savepoint;
        JobClient before = live.start(job, live.conf);
        try {
            JsonLinesLoader.send(first, kafka.bootstrapServers(), new Properties());
            awaitAllCommitted(
                    before,
                    live.common,
                    job.inputs(live.conf),
                    kafka,
                    FailureInjector.INJECTED.get(),
                    0);
            savepoint = stop(before, false);
        } catch (Exception e) {
            before.cancel();
            throw e;
        }
        Map<String, String> restored = new java.util.HashMap<>(live.options.overrides());
        restored.put("parallelism", Integer.toString(restoreParallelism));
        restored.put("flink.execution.state-recovery.path", savepoint);
        Configuration conf =
                Replay.configuration(
                        job,
                        live.options.withParallelism(restoreParallelism).withOverrides(restored),
                        kafka.bootstrapServers());
        JobClient after = live.start(job, conf);
        try {
            JsonLinesLoader.send(second, kafka.bootstrapServers(), new Properties());
            awaitAllCommitted(
                    after, live.common, job.inputs(conf), kafka, FailureInjector.INJECTED.get(), 0);
            stopDraining(after);
            after.getJobExecutionResult().get(READ_ALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            after.cancel();
            throw e;
        }
        return Replay.readResult(job, conf, kafka, live.loaded);
    }

    /** Topics created, records to produce, an unbounded configuration. */
    private record Live(
            ReplayOptions options,
            Configuration conf,
            TidemarkConfig common,
            List<List<ProducerRecord<byte[], byte[]>>> perTopic,
            SortedMap<String, Long> loaded) {

        JobClient start(TidemarkJob job, Configuration conf) throws Exception {
            var env = TidemarkEnvironment.create(TidemarkConfig.from(conf, job.name()));
            job.build(env, conf, options.tap());
            return env.executeAsync("tidemark-live-replay-" + job.name());
        }
    }

    private static Live prepare(
            TidemarkJob job,
            Map<String, List<String>> inputs,
            ReplayOptions options,
            EmbeddedKafka kafka) {
        Map<String, String> live = new java.util.HashMap<>(options.overrides());
        live.put("source.stop", "none");
        ReplayOptions unbounded = options.withOverrides(live);
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
        return new Live(unbounded, conf, TidemarkConfig.from(conf, job.name()), perTopic, loaded);
    }

    /**
     * Stops the job with a draining savepoint. Records can be read while downstream tasks are still
     * initializing, and a savepoint is refused until every task runs, so a refusal is retried until
     * a deadline.
     */
    private static void stopDraining(JobClient client) throws Exception {
        stop(client, true);
    }

    /** Stops with a savepoint (draining or not) and returns its path. */
    private static String stop(JobClient client, boolean drain) throws Exception {
        Path savepoints = Files.createTempDirectory("tidemark-live-replay");
        long deadline = System.nanoTime() + READ_ALL_TIMEOUT.toNanos();
        while (true) {
            try {
                return client.stopWithSavepoint(
                                drain, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(READ_ALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
     * and, with a {@link FailureInjection}, until every failure has been injected. Offsets, unlike
     * counters, survive restarts.
     */
    private static void awaitAllCommitted(
            JobClient client,
            TidemarkConfig common,
            List<JobTopic> inputs,
            EmbeddedKafka kafka,
            int injectedBefore,
            int failures)
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
            boolean failuresDone = FailureInjector.INJECTED.get() - injectedBefore >= failures;
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
