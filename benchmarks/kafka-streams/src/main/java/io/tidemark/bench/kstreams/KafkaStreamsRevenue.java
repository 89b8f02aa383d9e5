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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * The Kafka Streams variant of the revenue benchmark (see {@link RevenueTopology} for the query),
 * measured as {@link KafkaStreamsSessions} is: the probe starts right before {@code
 * KafkaStreams.start()} and stops once everything is processed and committed. With repartition
 * topics, the input offsets alone do not say that: the application is done when its consumer group
 * has committed the end of every partition it reads, the inputs and its own repartition topics, in
 * one look (with exactly-once v2 each stage's output commits with its input offsets, so a stage
 * still writing has uncommitted input). Prints one {@link ResultLine} and exits 0, or 1.
 *
 * <pre>
 * --bootstrap host:port (required)   --orders orders --products products --customers customers
 * --output-1m bench-revenue-1m-kstreams   --output-1h bench-revenue-1h-kstreams
 * --threads 2   --work-dir &lt;temp dir&gt;   --grace-ms 2000   --commit-interval-ms 10000
 * --app-id tidemark-bench-kstreams-revenue-&lt;nanotime&gt;   --timeout-s 1800
 * </pre>
 */
public final class KafkaStreamsRevenue {

    static final String VARIANT = "kafka-streams-revenue";

    /** The group of a line whose product or customer version was not found. */
    static final String UNKNOWN = "unknown";

    private KafkaStreamsRevenue() {}

    public static void main(String[] argv) {
        try {
            Result result = run(Args.parse(argv));
            ResultLine.of(VARIANT, result.records(), result.measurement())
                    .with("orders", result.orders())
                    .with("skipped", result.skipped())
                    .with("droppedLate", result.droppedLate())
                    .with("threads", result.threads())
                    .print();
            System.exit(0);
        } catch (Exception e) {
            System.err.println("kafka-streams-revenue failed: " + e.getMessage());
            e.printStackTrace(System.err);
            System.out.println("kafka-streams-revenue failed: " + e.getMessage());
            System.out.flush();
            System.exit(1);
        }
    }

    /** What one run measured. */
    record Result(
            long records,
            long orders,
            ProcessProbe.Measurement measurement,
            long skipped,
            long droppedLate,
            int threads) {}

    static Result run(Args args) throws Exception {
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args.bootstrap);
        try (Admin admin = Admin.create(adminProps)) {
            Map<TopicPartition, Long> begin = new HashMap<>();
            Map<TopicPartition, Long> end = new HashMap<>();
            long orders = 0;
            for (String topic : List.of(args.orders, args.products, args.customers)) {
                List<TopicPartition> partitions = KafkaStreamsSessions.partitions(admin, topic);
                begin.putAll(
                        KafkaStreamsSessions.offsets(admin, partitions, OffsetSpec.earliest()));
                end.putAll(KafkaStreamsSessions.offsets(admin, partitions, OffsetSpec.latest()));
                if (topic.equals(args.orders)) {
                    orders = partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
                }
            }
            long records = end.keySet().stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
            int partitions = KafkaStreamsSessions.partitions(admin, args.orders).size();
            KafkaStreamsSessions.createIfMissing(admin, args.output1m, partitions);
            KafkaStreamsSessions.createIfMissing(admin, args.output1h, partitions);

            RevenueTopology topology = new RevenueTopology(args);
            KafkaStreams streams = new KafkaStreams(topology.build(), config(args));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            streams.setUncaughtExceptionHandler(
                    e -> {
                        failure.compareAndSet(null, e);
                        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                    });
            try {
                ProcessProbe probe = ProcessProbe.start();
                streams.start();
                awaitDone(admin, args, streams, failure, end);
                ProcessProbe.Measurement measurement = probe.stop();
                long skipped = topology.skipped();
                long dropped = KafkaStreamsSessions.droppedRecords(streams);
                return new Result(
                        records,
                        orders,
                        measurement,
                        skipped,
                        Math.max(0, dropped - skipped),
                        args.threads);
            } finally {
                streams.close(Duration.ofSeconds(60));
            }
        }
    }

    private static Properties config(Args args) throws java.io.IOException {
        KafkaStreamsSessions.Args common = new KafkaStreamsSessions.Args();
        common.bootstrap = args.bootstrap;
        common.appId = args.appId;
        common.threads = args.threads;
        common.commitIntervalMs = args.commitIntervalMs;
        common.workDir = args.workDir;
        return KafkaStreamsSessions.streamsConfig(common);
    }

    /**
     * Waits until the group has committed, for every partition it reads (the inputs and its
     * repartition topics), the partition's end offset: everything read, processed and committed.
     */
    private static void awaitDone(
            Admin admin,
            Args args,
            KafkaStreams streams,
            AtomicReference<Throwable> failure,
            Map<TopicPartition, Long> inputEnd)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(args.timeoutS);
        String internal = args.appId + "-";
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
            // Committed offsets first, then the ends: a stage that writes in between has
            // uncommitted input, so a stale look can only say "not done".
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(args.appId)
                            .partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> end = new HashMap<>(inputEnd);
            for (String topic : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                if (topic.startsWith(internal) && topic.endsWith("-repartition")) {
                    end.putAll(
                            KafkaStreamsSessions.offsets(
                                    admin,
                                    KafkaStreamsSessions.partitions(admin, topic),
                                    OffsetSpec.latest()));
                }
            }
            boolean done =
                    end.entrySet().stream()
                            .allMatch(
                                    e -> {
                                        OffsetAndMetadata at = committed.get(e.getKey());
                                        // never committed: done only if never written
                                        return at == null
                                                ? e.getValue() == 0
                                                : at.offset() >= e.getValue();
                                    });
            if (done) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "timed out after "
                                + args.timeoutS
                                + " s: committed "
                                + committed
                                + " of end offsets "
                                + end);
            }
            Thread.sleep(200); // poll the group's committed offsets
        }
    }

    /** The command line. */
    static final class Args {
        String bootstrap;
        String orders = "orders";
        String products = "products";
        String customers = "customers";
        String output1m = "bench-revenue-1m-kstreams";
        String output1h = "bench-revenue-1h-kstreams";
        int threads = 2;
        Path workDir;
        long graceMs = 2_000;
        long commitIntervalMs = 10_000;
        String appId = "tidemark-bench-kstreams-revenue-" + System.nanoTime();
        long timeoutS = 1800;

        static Args parse(String[] argv) throws java.io.IOException {
            Args args = new Args();
            for (int i = 0; i < argv.length; i += 2) {
                String name = argv[i];
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException("no value for " + name);
                }
                String value = argv[i + 1];
                switch (name) {
                    case "--bootstrap" -> args.bootstrap = value;
                    case "--orders" -> args.orders = value;
                    case "--products" -> args.products = value;
                    case "--customers" -> args.customers = value;
                    case "--output-1m" -> args.output1m = value;
                    case "--output-1h" -> args.output1h = value;
                    case "--threads" -> args.threads = Integer.parseInt(value);
                    case "--work-dir" -> args.workDir = Path.of(value);
                    case "--grace-ms" -> args.graceMs = Long.parseLong(value);
                    case "--commit-interval-ms" -> args.commitIntervalMs = Long.parseLong(value);
                    case "--app-id" -> args.appId = value;
                    case "--timeout-s" -> args.timeoutS = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown argument " + name);
                }
            }
            if (args.bootstrap == null) {
                throw new IllegalArgumentException("--bootstrap host:port is required");
            }
            if (args.workDir == null) {
                args.workDir = Files.createTempDirectory("tidemark-bench-kstreams-revenue");
            }
            return args;
        }
    }
}
