package io.tidemark.bench.kstreams;

import io.tidemark.bench.probe.ProcessProbe;
import io.tidemark.bench.probe.ResultLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * The Kafka Streams variant of the sessionization benchmark (see {@link SessionsTopology} for the
 * query). It reads the input's offsets (not measured), starts the {@link ProcessProbe} right before
 * {@code KafkaStreams.start()}, and stops it once the application's consumer group has committed
 * the end offset of every input partition: with exactly-once v2 those offsets commit in the same
 * transaction as the sessions they produced, so everything is then processed and committed. It
 * prints one {@link ResultLine} and exits 0, or prints why it failed and exits 1.
 *
 * <pre>
 * --bootstrap host:port          (required)
 * --input bench-clicks           --output bench-sessions-kstreams
 * --threads 2                    --work-dir &lt;temp dir&gt; (state in &lt;work-dir&gt;/state)
 * --gap-ms 1800000               --grace-ms 2000
 * --commit-interval-ms 10000     --app-id tidemark-bench-kstreams-&lt;nanotime&gt;
 * --timeout-s 1800
 * </pre>
 */
public final class KafkaStreamsSessions {

    static final String VARIANT = "kafka-streams";
    private static final Duration POLL = Duration.ofMillis(100);

    private KafkaStreamsSessions() {}

    public static void main(String[] argv) {
        try {
            Result result = run(Args.parse(argv));
            ResultLine.of(VARIANT, result.records(), result.measurement())
                    .with("droppedLate", result.droppedLate())
                    .with("skipped", result.skipped())
                    .with("threads", result.threads())
                    .print();
            System.exit(0);
        } catch (Exception e) {
            System.err.println("kafka-streams variant failed: " + e.getMessage());
            e.printStackTrace(System.err);
            System.out.println("kafka-streams variant failed: " + e.getMessage());
            System.out.flush();
            System.exit(1);
        }
    }

    /** What one run measured. */
    record Result(
            long records,
            ProcessProbe.Measurement measurement,
            long droppedLate,
            long skipped,
            int threads) {}

    /** Runs the variant to the end of its input; throws with a clear message on any failure. */
    static Result run(Args args) throws Exception {
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args.bootstrap);
        try (Admin admin = Admin.create(adminProps)) {
            List<TopicPartition> partitions = partitions(admin, args.input);
            Map<TopicPartition, Long> begin = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, Long> end = offsets(admin, partitions, OffsetSpec.latest());
            long records = 0;
            for (TopicPartition p : partitions) {
                records += end.get(p) - begin.get(p);
            }
            createIfMissing(admin, args.output, partitions.size());

            SessionsTopology topology =
                    new SessionsTopology(
                            args.input,
                            args.output,
                            Duration.ofMillis(args.gapMs),
                            Duration.ofMillis(args.graceMs));
            KafkaStreams streams = new KafkaStreams(topology.build(), streamsConfig(args));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            streams.setUncaughtExceptionHandler(
                    e -> {
                        failure.compareAndSet(null, e);
                        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                    });
            try {
                ProcessProbe probe = ProcessProbe.start();
                streams.start();
                while (args.follow) {
                    if (failure.get() != null) {
                        throw new IllegalStateException("Kafka Streams failed", failure.get());
                    }
                    Thread.sleep(200); // runs until the harness stops the process
                }
                awaitCommitted(admin, args, streams, failure, begin, end);
                ProcessProbe.Measurement measurement = probe.stop();
                long dropped = droppedRecords(streams);
                long skipped = topology.skipped();
                return new Result(
                        records,
                        measurement,
                        Math.max(0, dropped - skipped),
                        skipped,
                        args.threads);
            } finally {
                // The local state stays in <work-dir>/state: the work dir is the harness's.
                streams.close(Duration.ofSeconds(60));
            }
        }
    }

    static Properties streamsConfig(Args args) throws java.io.IOException {
        Path state = args.workDir.resolve("state");
        Files.createDirectories(state);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, args.appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args.bootstrap);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, args.threads);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, args.commitIntervalMs);
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        // Kafka Streams' EOS default (10 s) equals the commit interval here: a transaction that
        // runs a little past it (a busy machine, a long cache flush) is aborted by the broker and
        // its producer fenced, and the task restores and reprocesses. Flink's Kafka sink allows 1
        // h.
        props.put(
                StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) Math.max(60_000, 3 * args.commitIntervalMs));
        props.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }

    static List<TopicPartition> partitions(Admin admin, String topic) throws Exception {
        TopicDescription description;
        try {
            description =
                    admin.describeTopics(Set.of(topic))
                            .topicNameValues()
                            .get(topic)
                            .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot describe the input topic " + topic + ": " + e.getCause(), e);
        }
        return description.partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    static Map<TopicPartition, Long> offsets(
            Admin admin, List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        Map<TopicPartition, ListOffsetsResultInfo> infos =
                admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .all()
                        .get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        infos.forEach((p, info) -> offsets.put(p, info.offset()));
        return offsets;
    }

    /**
     * Creates the output topic (as many partitions as the input, the broker's replication factor)
     * when it does not exist: Kafka Streams never creates its sink topics.
     */
    static void createIfMissing(Admin admin, String topic, int partitions) throws Exception {
        try {
            admin.createTopics(
                            List.of(
                                    new NewTopic(
                                            topic,
                                            java.util.Optional.of(partitions),
                                            java.util.Optional.empty())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create the output topic " + topic + ": " + e.getCause(), e);
            }
        }
    }

    /** Waits until the group committed every input partition's end offset, or fails. */
    private static void awaitCommitted(
            Admin admin,
            Args args,
            KafkaStreams streams,
            AtomicReference<Throwable> failure,
            Map<TopicPartition, Long> begin,
            Map<TopicPartition, Long> end)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(args.timeoutS);
        Map<TopicPartition, Long> committed = new HashMap<>();
        while (true) {
            if (failure.get() != null) {
                throw new IllegalStateException(
                        "the Kafka Streams application failed: " + failure.get(), failure.get());
            }
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.ERROR
                    || state == KafkaStreams.State.PENDING_ERROR
                    || state == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException(
                        "the Kafka Streams application went to " + state + " before the end");
            }
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(args.appId)
                            .partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS);
            boolean done = true;
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                OffsetAndMetadata at = offsets.get(e.getKey());
                long offset = at == null ? begin.get(e.getKey()) : at.offset();
                committed.put(e.getKey(), offset);
                // An empty partition is never committed: nothing to process there.
                if (offset < e.getValue()) {
                    done = false;
                }
            }
            if (done) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "timed out after "
                                + args.timeoutS
                                + " s: group "
                                + args.appId
                                + " committed "
                                + committed
                                + " of end offsets "
                                + end
                                + " (state "
                                + state
                                + ")");
            }
            Thread.sleep(POLL.toMillis()); // poll the group's committed offsets
        }
    }

    /** The sum of every task's {@code dropped-records-total}. */
    static long droppedRecords(KafkaStreams streams) {
        double total = 0;
        for (var metric : streams.metrics().entrySet()) {
            if (metric.getKey().name().equals("dropped-records-total")
                    && metric.getValue().metricValue() instanceof Number n) {
                total += n.doubleValue();
            }
        }
        return Math.round(total);
    }

    /** The command line. */
    static final class Args {
        String bootstrap;
        String input = "bench-clicks";
        String output = "bench-sessions-kstreams";
        int threads = 2;
        Path workDir;
        long gapMs = Duration.ofMinutes(30).toMillis();
        long graceMs = 2_000;
        long commitIntervalMs = 10_000;
        String appId = "tidemark-bench-kstreams-" + System.nanoTime();
        long timeoutS = 1800;

        /** Unbounded: run until killed (the harness's latency runs), measure nothing. */
        boolean follow;

        static Args parse(String[] argv) throws java.io.IOException {
            Args args = new Args();
            for (int i = 0; i < argv.length; i++) {
                String name = argv[i];
                String value;
                int eq = name.indexOf('=');
                if (eq > 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (i + 1 < argv.length) {
                    value = argv[++i];
                } else {
                    throw new IllegalArgumentException("no value for " + name);
                }
                switch (name) {
                    case "--bootstrap" -> args.bootstrap = value;
                    case "--input" -> args.input = value;
                    case "--output" -> args.output = value;
                    case "--threads" -> args.threads = Integer.parseInt(value);
                    case "--work-dir" -> args.workDir = Path.of(value);
                    case "--gap-ms" -> args.gapMs = Long.parseLong(value);
                    case "--grace-ms" -> args.graceMs = Long.parseLong(value);
                    case "--commit-interval-ms" -> args.commitIntervalMs = Long.parseLong(value);
                    case "--app-id" -> args.appId = value;
                    case "--timeout-s" -> args.timeoutS = Long.parseLong(value);
                    case "--follow" -> args.follow = Boolean.parseBoolean(value);
                    default -> throw new IllegalArgumentException("unknown argument " + name);
                }
            }
            if (args.bootstrap == null) {
                throw new IllegalArgumentException("--bootstrap host:port is required");
            }
            if (args.workDir == null) {
                args.workDir = Files.createTempDirectory("tidemark-bench-kstreams");
            }
            return args;
        }
    }
}
