package io.tidemark.common.runtime.config;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options every Tidemark job understands. Jobs add their own (topics, window sizes); keys outside
 * these sets fail at start, except the two pass-through prefixes:
 *
 * <ul>
 *   <li>{@code kafka.*}: Kafka client properties for every source, sink and admin client (e.g.
 *       {@code kafka.bootstrap.servers}, {@code kafka.security.protocol}, {@code kafka.sasl.*});
 *   <li>{@code flink.*}: raw Flink configuration for the job's environment.
 * </ul>
 *
 * Any value may be {@code ${env:NAME}} to read it from an environment variable (for secrets).
 */
public final class TidemarkOptions {

    private TidemarkOptions() {}

    public static final String KAFKA_PREFIX = "kafka.";
    public static final String FLINK_PREFIX = "flink.";

    public static final ConfigOption<String> JOB_NAME =
            ConfigOptions.key("job.name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Job name: prefix of uids, default topics and transactional ids.");

    public static final ConfigOption<ExecutionMode> EXECUTION_MODE =
            ConfigOptions.key("execution.mode")
                    .enumType(ExecutionMode.class)
                    .defaultValue(ExecutionMode.STREAMING)
                    .withDescription("STREAMING for live runs, BATCH for bounded backfills.");

    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .noDefaultValue()
                    .withDescription("Job parallelism; the cluster default when unset.");

    /**
     * Fixed once and for all by the first savepoint: keyed state is split into this many key
     * groups, so a job can never restore a savepoint taken with another value.
     */
    public static final ConfigOption<Integer> MAX_PARALLELISM =
            ConfigOptions.key("max-parallelism")
                    .intType()
                    .defaultValue(128)
                    .withDescription(
                            "Number of key groups keyed state is split into: the upper bound of"
                                    + " the parallelism. Part of the state contract: a savepoint"
                                    + " restores only into a job with the same value.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Checkpoint interval (exactly-once). Output becomes visible to "
                                    + "read_committed consumers once per interval.");

    public static final ConfigOption<String> CHECKPOINT_DIR =
            ConfigOptions.key("checkpoint.dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Checkpoint storage URI, e.g. file:///tmp/tidemark/checkpoints.");

    public static final ConfigOption<StateBackendKind> STATE_BACKEND =
            ConfigOptions.key("state.backend")
                    .enumType(StateBackendKind.class)
                    .defaultValue(StateBackendKind.ROCKSDB)
                    .withDescription("ROCKSDB (incremental checkpoints) or HASHMAP.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("event-time.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription(
                            "The bound B of the lateness rule: a record more than B behind its "
                                    + "partition's maximum event time is late.");

    public static final ConfigOption<Duration> IDLENESS =
            ConfigOptions.key("event-time.idleness")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "Processing-time idleness of empty partitions. Off by default: it "
                                    + "makes results depend on timing (records behind the "
                                    + "watermark then go to the late topic as LATE_AFTER_IDLE).");

    // Watermark alignment (heartbeats and quiet partitions: docs/operations.md §7). Alignment only
    // pauses reading a source whose watermark runs ahead; it never changes results.

    public static final ConfigOption<Boolean> ALIGNMENT_ENABLED =
            ConfigOptions.key("event-time.alignment.enabled")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Watermark alignment of the job's sources in unbounded STREAMING runs:"
                                    + " a source (or partition) whose watermark is more than"
                                    + " max-drift ahead of the slowest pauses reading, which bounds"
                                    + " the state a fast input piles up. Off in bounded runs"
                                    + " (replays, backfills) and in BATCH. Never changes results.");

    public static final ConfigOption<String> ALIGNMENT_GROUP =
            ConfigOptions.key("event-time.alignment.group")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Watermark alignment group of the job's sources; <job> when unset.");

    public static final ConfigOption<Duration> ALIGNMENT_MAX_DRIFT =
            ConfigOptions.key("event-time.alignment.max-drift")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "How far a source's watermark may run ahead of the slowest source's"
                                    + " in the group before it pauses. Also the most event time a"
                                    + " catching-up job advances per update interval.");

    public static final ConfigOption<Duration> ALIGNMENT_UPDATE_INTERVAL =
            ConfigOptions.key("event-time.alignment.update-interval")
                    .durationType()
                    .defaultValue(Duration.ofMillis(200))
                    .withDescription(
                            "How often sources report their watermark and learn the group's"
                                    + " maximum allowed one.");

    public static final ConfigOption<Duration> MAX_SKEW_AHEAD =
            ConfigOptions.key("validation.max-skew-ahead")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "How far an event time may lie ahead of its Kafka record timestamp.");

    public static final ConfigOption<Duration> MAX_SKEW_BEHIND =
            ConfigOptions.key("validation.max-skew-behind")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "How far an event time may lie behind its Kafka record timestamp; "
                                    + "no limit when unset.");

    public static final ConfigOption<String> SOURCE_START =
            ConfigOptions.key("source.start")
                    .stringType()
                    .defaultValue("earliest")
                    .withDescription(
                            "Where sources start: earliest, latest, committed, or an ISO-8601 "
                                    + "instant (first record with a timestamp at or after it).");

    public static final ConfigOption<String> SOURCE_STOP =
            ConfigOptions.key("source.stop")
                    .stringType()
                    .defaultValue("none")
                    .withDescription(
                            "Where sources stop: none (unbounded), latest (the offsets latest "
                                    + "at start), or an ISO-8601 instant.");

    public static final ConfigOption<String> SOURCE_GROUP_ID =
            ConfigOptions.key("source.group-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Consumer group id; tidemark-<job> when unset.");

    public static final ConfigOption<DeliveryGuarantee> SINK_DELIVERY_GUARANTEE =
            ConfigOptions.key("sink.delivery-guarantee")
                    .enumType(DeliveryGuarantee.class)
                    .defaultValue(DeliveryGuarantee.EXACTLY_ONCE)
                    .withDescription("Delivery guarantee of every Kafka sink of the job.");

    public static final ConfigOption<Duration> SINK_TRANSACTION_TIMEOUT =
            ConfigOptions.key("sink.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "transaction.timeout.ms of exactly-once sinks: longer than"
                                    + " checkpoint.interval, at most the brokers'"
                                    + " transaction.max.timeout.ms (15 min by default). An outage"
                                    + " longer than it aborts the open transactions.");

    public static final ConfigOption<PreflightMode> SINK_PREFLIGHT =
            ConfigOptions.key("sink.preflight")
                    .enumType(PreflightMode.class)
                    .defaultValue(PreflightMode.TOLERANT)
                    .withDescription(
                            "The sink preflight's broker check (describeConfigs for the brokers'"
                                    + " transaction.max.timeout.ms): TOLERANT warns and starts"
                                    + " when not authorised, STRICT refuses to start, OFF skips it."
                                    + " Runs once per submission.");

    public static final ConfigOption<String> SINK_TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("sink.transactional-id-prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Prefix of the transactional ids; <job> when unset. Each sink adds "
                                    + "its own name, so prefixes stay distinct.");

    public static final ConfigOption<String> TOPIC_DLQ =
            ConfigOptions.key("topics.dlq")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("DLQ topic; <job>-dlq when unset.");

    public static final ConfigOption<String> TOPIC_LATE =
            ConfigOptions.key("topics.late")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Late-record topic; <job>-late when unset.");

    public static final ConfigOption<String> OUTPUT_TOPIC_SUFFIX =
            ConfigOptions.key("topics.output-suffix")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Appended to every topic the job writes (results, late, DLQ) and to"
                                    + " its transactional ids: a backfill writes to fresh topics"
                                    + " without fencing the live job.");

    public static final ConfigOption<String> EMIT_FROM =
            ConfigOptions.key("source.emit-from")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "ISO-8601 instant: write only results, late and DLQ records whose"
                                    + " Kafka timestamp is at or after it. For backfills with a"
                                    + " warm-up: source.start reads earlier records to rebuild"
                                    + " state, and nothing before the range is written.");

    public static final ConfigOption<String> INCLUDE_LATE_TOPIC =
            ConfigOptions.key("source.include-late-topic")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "BATCH only: also feed the LATE records of this late topic (the live"
                                    + " job's) into the job as on time. Breaks equality with the"
                                    + " live run on purpose.");

    /** The options every job accepts. */
    public static List<ConfigOption<?>> all() {
        return List.of(
                JOB_NAME,
                EXECUTION_MODE,
                PARALLELISM,
                MAX_PARALLELISM,
                CHECKPOINT_INTERVAL,
                CHECKPOINT_DIR,
                STATE_BACKEND,
                OUT_OF_ORDERNESS,
                IDLENESS,
                ALIGNMENT_ENABLED,
                ALIGNMENT_GROUP,
                ALIGNMENT_MAX_DRIFT,
                ALIGNMENT_UPDATE_INTERVAL,
                MAX_SKEW_AHEAD,
                MAX_SKEW_BEHIND,
                SOURCE_START,
                SOURCE_STOP,
                SOURCE_GROUP_ID,
                SINK_DELIVERY_GUARANTEE,
                SINK_TRANSACTION_TIMEOUT,
                SINK_PREFLIGHT,
                SINK_TRANSACTIONAL_ID_PREFIX,
                TOPIC_DLQ,
                TOPIC_LATE,
                OUTPUT_TOPIC_SUFFIX,
                EMIT_FROM,
                INCLUDE_LATE_TOPIC);
    }
}
