package io.tidemark.bench;

import io.tidemark.common.schemas.Decoded;
import io.tidemark.common.schemas.SingleObjectCodec;
import io.tidemark.common.schemas.UserSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * End-to-end latency of a variant running live: clicks are produced at a fixed rate (half the
 * variant's measured maximum), and for every session the variant commits, latency is the time from
 * producing the record that let the session close to the session being visible to a {@code
 * read_committed} consumer.
 *
 * <p>A session ending at event time {@code E} closes in Flink when the watermark — the minimum over
 * partitions of the largest event time minus {@code B} — passes {@code E + gap}: once every
 * partition has produced an event time ≥ {@code E + gap + B}. Kafka Streams closes it when its own
 * partition's stream time passes {@code E + gap + grace}. Sessions closed during the warm-up are
 * left out; exactly-once sinks make results visible only when a checkpoint (Flink) or a commit
 * (Kafka Streams) completes, every 10 s here, which dominates the figures.
 *
 * @param name label in the report
 * @param run the variant, started in its follow (unbounded) mode
 * @param input the topic it reads
 * @param output the topic it commits sessions to
 * @param encoding how its input encodes clicks
 * @param perPartitionClose whether a session closes on its own partition's progress (Kafka Streams)
 *     rather than on the minimum over partitions (Flink's watermark)
 * @param rate clicks per second to produce
 */
record LatencyRun(
        String name,
        VariantRun run,
        String input,
        String output,
        PacedClicks.Encoding encoding,
        boolean perPartitionClose,
        double rate) {

    static final long WARM_UP_MS = 20_000;
    static final long MEASURED_MS = 60_000;
    static final long DRAIN_MS = 25_000;

    Map<String, Object> measure(String bootstrap, Path root, Path workDir, BenchOptions options)
            throws IOException, InterruptedException {
        PacedClicks paced = new PacedClicks(2);
        List<long[]> received = new ArrayList<>(); // {end, user partition, received nanos}
        AtomicBoolean consuming = new AtomicBoolean(true);
        Thread consumer =
                new Thread(() -> consume(bootstrap, paced, received, consuming), name + "-reader");
        Process process = run.start(root, workDir);
        long started;
        long produced;
        try {
            consumer.start();
            started = System.nanoTime();
            produced =
                    paced.produce(
                            bootstrap,
                            input,
                            new BenchClicks(Long.MAX_VALUE, options.users(), 1_000, options.seed()),
                            encoding,
                            rate,
                            WARM_UP_MS + MEASURED_MS);
            long producedEnd = System.nanoTime();
            Thread.sleep(DRAIN_MS); // the last sessions need a checkpoint to become visible
            consuming.set(false);
            consumer.join(30_000);
            return figures(paced, received, started, producedEnd, produced, process);
        } finally {
            consuming.set(false);
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private Map<String, Object> figures(
            PacedClicks paced,
            List<long[]> received,
            long started,
            long producedEnd,
            long produced,
            Process process) {
        long closeAfter = BenchClicks.SESSION_GAP_MS + BenchClicks.BOUND_MS;
        List<Double> latencies = new ArrayList<>();
        synchronized (received) {
            for (long[] session : received) {
                long trigger = -1;
                if (perPartitionClose) {
                    trigger =
                            paced.firstProducedAtOrAfter((int) session[1], session[0] + closeAfter);
                } else {
                    for (int p = 0; p < paced.partitions(); p++) {
                        long at = paced.firstProducedAtOrAfter(p, session[0] + closeAfter);
                        if (at < 0) {
                            trigger = -1;
                            break;
                        }
                        trigger = Math.max(trigger, at);
                    }
                }
                if (trigger >= started + WARM_UP_MS * 1_000_000 && trigger <= producedEnd) {
                    latencies.add((session[2] - trigger) / 1e6);
                }
            }
        }
        latencies.sort(Double::compare);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("run", name);
        result.put("rate", Math.round(rate));
        result.put("produced", produced);
        result.put("sessions", latencies.size());
        result.put("alive", process.isAlive());
        if (!latencies.isEmpty()) {
            result.put("p50Ms", Math.round(percentile(latencies, 0.50)));
            result.put("p99Ms", Math.round(percentile(latencies, 0.99)));
            result.put("maxMs", Math.round(latencies.get(latencies.size() - 1)));
        }
        return result;
    }

    private static double percentile(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private void consume(
            String bootstrap, PacedClicks paced, List<long[]> received, AtomicBoolean consuming) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        SingleObjectCodec<UserSession> codec = SingleObjectCodec.of(UserSession.class);
        SpecificDatumReader<UserSession> plain = new SpecificDatumReader<>(UserSession.class);
        try (var consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    List.of(new TopicPartition(output, 0), new TopicPartition(output, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (consuming.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    UserSession session = decode(record.value(), codec, plain);
                    if (session != null) {
                        byte[] user = session.getUserId().getBytes(StandardCharsets.UTF_8);
                        synchronized (received) {
                            received.add(
                                    new long[] {
                                        session.getEnd().toEpochMilli(),
                                        paced.partitionOf(user),
                                        now
                                    });
                        }
                    }
                }
            }
        }
    }

    /** Tidemark and Kafka Streams write single-object Avro, Flink SQL plain Avro. */
    private static UserSession decode(
            byte[] value,
            SingleObjectCodec<UserSession> codec,
            SpecificDatumReader<UserSession> plain) {
        if (value == null) {
            return null;
        }
        if (value.length > 2 && value[0] == (byte) 0xC3 && value[1] == (byte) 0x01) {
            Decoded<UserSession> decoded = codec.decode(value);
            return decoded.isFailure() ? null : decoded.record();
        }
        try {
            return plain.read(null, DecoderFactory.get().binaryDecoder(value, null));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
