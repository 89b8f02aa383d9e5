package io.tidemark.common.testing.replay;

import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.runtime.metrics.ProgressReporter;
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
import org.apache.kafka.clients.producer.ProducerRecord;

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
        long total = loaded.values().stream().mapToLong(Long::longValue).sum();

        ProgressReporter.reset();
        TidemarkConfig common = TidemarkConfig.from(conf, job.name());
        var env = TidemarkEnvironment.create(common);
        job.build(env, conf);
        JobClient client = env.executeAsync("tidemark-live-replay-" + job.name());
        try {
            JsonLinesLoader.send(
                    order.arrange(perTopic), kafka.bootstrapServers(), new Properties());
            awaitAllRead(client, total);
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

    /** Waits until the job's readers have read every produced record, or fails. */
    private static void awaitAllRead(JobClient client, long total) throws Exception {
        long deadline = System.nanoTime() + READ_ALL_TIMEOUT.toNanos();
        while (ProgressReporter.snapshot().recordsRead() < total) {
            if (client.getJobStatus().get().isGloballyTerminalState()) {
                throw new IllegalStateException(
                        "job ended before reading its input: " + client.getJobStatus().get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "job read "
                                + ProgressReporter.snapshot().recordsRead()
                                + " of "
                                + total
                                + " records in "
                                + READ_ALL_TIMEOUT);
            }
            try {
                // Re-check a condition (records read); never a wait for results by itself.
                client.getJobExecutionResult().get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                // keep polling
            }
        }
    }
}
