package io.tidemark.common.testing.passthrough;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.local.ClickGenerator;
import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkEnvironment;
import io.tidemark.common.runtime.kafka.PreflightException;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.schemas.SingleObjectCodec;
import io.tidemark.common.testing.EmbeddedKafkaExtension;
import io.tidemark.common.testing.TidemarkMiniCluster;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The foundation end to end: 10,000 generated clicks with disorder, late records, duplicates and
 * bad records of every reason go through validation and the lateness classifier on a MiniCluster
 * against a real broker. Output, late and DLQ topics must hold exactly what an independent
 * reference (written here from DESIGN.md §1, without the runtime's code) says.
 */
class PassThroughITCase {

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    private static final long SEED = 20261101L;
    private static final long BOUND_MS = 2_000L;
    private static final long MAX_SKEW_AHEAD_MS = 3_600_000L;
    private static final int PARTITIONS = 3;
    private static final String INPUT = "clicks";

    private static List<ProducerRecord<byte[], byte[]>> produced;
    private static Reference expected;

    @BeforeAll
    static void loadInput() {
        List<String> lines =
                ClickGenerator.generate(
                        ClickGenerator.Spec.builder()
                                .seed(SEED)
                                .events(10_000)
                                .users(300)
                                .partitions(PARTITIONS)
                                .boundMs(BOUND_MS)
                                .fractionWithinBound(0.2)
                                .fractionLate(0.02)
                                .fractionDuplicates(0.01)
                                .badPerReason(7)
                                .build());
        KAFKA.createTopic(INPUT, PARTITIONS);
        produced = JsonLinesLoader.toRecords(lines, "generated", INPUT, "Click", PARTITIONS);
        JsonLinesLoader.load(
                lines, "generated", INPUT, "Click", KAFKA.bootstrapServers(), new Properties());
        expected = Reference.classify(produced);
    }

    private static TidemarkConfig config(String job, Map<String, String> extra) {
        Map<String, String> raw = new HashMap<>();
        raw.put("kafka.bootstrap.servers", KAFKA.bootstrapServers());
        raw.put("job.name", job);
        raw.put("source.stop", "latest");
        raw.put("checkpoint.interval", "1 s");
        raw.put("parallelism", "2");
        raw.putAll(extra);
        return TidemarkConfig.from(ConfigLoader.validate(raw, List.of(), Map.of()), job);
    }

    private static void run(TidemarkConfig config, String output) throws Exception {
        KAFKA.createTopic(output, 2);
        KAFKA.createTopic(config.lateTopic(), 2);
        KAFKA.createTopic(config.dlqTopic(), 2);
        StreamExecutionEnvironment env = TidemarkEnvironment.create(config);
        PassThroughTopology.build(env, config, INPUT, output);
        env.execute(config.jobName());
        CommittedReader.awaitSettled(
                KAFKA.bootstrapServers(),
                List.of(output, config.lateTopic(), config.dlqTopic()),
                CommittedReader.DEFAULT_TIMEOUT);
    }

    @Test
    void outputLateAndDlqHoldExactlyWhatTheRuleSays() throws Exception {
        TidemarkConfig config = config("passthrough", Map.of());
        run(config, "passthrough-out");

        assertThat(
                        sorted(
                                CommittedReader.canonicalLines(
                                        KAFKA.bootstrapServers(), "passthrough-out")))
                .as("on-time records (seed %d)", SEED)
                .hasSize(expected.onTime.size())
                .isEqualTo(sorted(expected.onTime));

        Map<ReasonCode, List<String>> late = envelopesByReason(config.lateTopic());
        assertThat(late.keySet()).containsOnly(ReasonCode.LATE);
        assertThat(sorted(late.get(ReasonCode.LATE)))
                .as("late records by coordinates (seed %d)", SEED)
                .isEqualTo(sorted(expected.late));

        Map<ReasonCode, List<String>> dlq = envelopesByReason(config.dlqTopic());
        for (ReasonCode reason : ClickGenerator.BAD_REASONS) {
            assertThat(sorted(dlq.getOrDefault(reason, List.of())))
                    .as("DLQ records with reason %s (seed %d)", reason, SEED)
                    .hasSize(7)
                    .isEqualTo(sorted(expected.bad.getOrDefault(reason, List.of())));
        }
        assertThat(dlq.keySet()).containsExactlyInAnyOrderElementsOf(expected.bad.keySet());
        assertThat(expected.late).hasSizeGreaterThan(50);
        assertThat(expected.bad.keySet())
                .containsExactlyInAnyOrderElementsOf(ClickGenerator.BAD_REASONS);
    }

    @Test
    void envelopesCarryTheOriginalBytesAndSource() throws Exception {
        TidemarkConfig config = config("envelopes", Map.of());
        run(config, "envelopes-out");

        Map<String, ProducerRecord<byte[], byte[]>> byCoordinates = new HashMap<>();
        Map<Integer, Integer> offsets = new HashMap<>();
        for (ProducerRecord<byte[], byte[]> record : produced) {
            int offset = offsets.merge(record.partition(), 1, Integer::sum) - 1;
            byCoordinates.put(INPUT + "/" + record.partition() + "/" + offset, record);
        }
        List<ConsumerRecord<byte[], byte[]>> dlq =
                CommittedReader.read(KAFKA.bootstrapServers(), config.dlqTopic(), new Properties());
        assertThat(dlq).isNotEmpty();
        for (ConsumerRecord<byte[], byte[]> record : dlq) {
            ErrorEnvelope envelope =
                    SingleObjectCodec.of(ErrorEnvelope.class).decode(record.value()).record();
            String coordinates =
                    envelope.getTopic()
                            + "/"
                            + envelope.getPartition()
                            + "/"
                            + envelope.getOffset();
            ProducerRecord<byte[], byte[]> original = byCoordinates.get(coordinates);
            assertThat(new String(record.key())).isEqualTo(coordinates);
            assertThat(bytes(envelope.getValue())).isEqualTo(original.value());
            assertThat(envelope.getKey() == null ? null : bytes(envelope.getKey()))
                    .isEqualTo(original.key());
            assertThat(envelope.getRecordTimestamp().toEpochMilli())
                    .isEqualTo(original.timestamp());
            assertThat(record.timestamp()).isEqualTo(original.timestamp());
            assertThat(envelope.getJob()).isEqualTo("envelopes");
        }
    }

    @Test
    void batchExecutionGivesTheSameCommittedOutput() throws Exception {
        TidemarkConfig config = config("batch", Map.of("execution.mode", "BATCH"));
        run(config, "batch-out");

        assertThat(sorted(CommittedReader.canonicalLines(KAFKA.bootstrapServers(), "batch-out")))
                .isEqualTo(sorted(expected.onTime));
        assertThat(sorted(envelopesByReason(config.lateTopic()).get(ReasonCode.LATE)))
                .isEqualTo(sorted(expected.late));
    }

    @Test
    void timestampStartAndStopReadOnlyRecordsStampedInsideTheRange() throws Exception {
        String topic = "ranged";
        KAFKA.createTopic(topic, 1);
        Instant t0 = Instant.parse("2026-11-01T10:00:00Z");
        List<String> lines = new ArrayList<>();
        for (int minute = 0; minute < 20; minute++) {
            lines.add(
                    "{\"eventId\":\"r-"
                            + minute
                            + "\",\"userId\":\"u-1\",\"eventTime\":\""
                            + t0.plusSeconds(60L * minute)
                            + "\",\"type\":\"PAGE_VIEW\"}");
        }
        JsonLinesLoader.load(
                lines, "ranged", topic, "Click", KAFKA.bootstrapServers(), new Properties());
        TidemarkConfig config =
                config(
                        "ranged",
                        Map.of(
                                "source.start", t0.plusSeconds(300).toString(),
                                "source.stop", t0.plusSeconds(900).toString()));
        KAFKA.createTopic("ranged-out", 1);
        KAFKA.createTopic(config.lateTopic(), 1);
        KAFKA.createTopic(config.dlqTopic(), 1);
        StreamExecutionEnvironment env = TidemarkEnvironment.create(config);
        PassThroughTopology.build(env, config, topic, "ranged-out");
        env.execute(config.jobName());
        CommittedReader.awaitSettled(
                KAFKA.bootstrapServers(), List.of("ranged-out"), CommittedReader.DEFAULT_TIMEOUT);

        List<String> ids = new ArrayList<>();
        for (String line : CommittedReader.canonicalLines(KAFKA.bootstrapServers(), "ranged-out")) {
            ids.add(AvroJson.MAPPER.readTree(line).get("eventId").asText());
        }
        assertThat(sorted(ids))
                .as("minutes 5 (inclusive) to 15 (exclusive)")
                .isEqualTo(
                        sorted(
                                List.of(
                                        "r-5", "r-6", "r-7", "r-8", "r-9", "r-10", "r-11", "r-12",
                                        "r-13", "r-14")));
    }

    @Test
    void transactionTimeoutAboveBrokerMaximumFailsBeforeTheJobStarts() {
        TidemarkConfig config = config("toolong", Map.of("sink.transaction-timeout", "16 min"));
        StreamExecutionEnvironment env = TidemarkEnvironment.create(config);

        assertThatThrownBy(() -> PassThroughTopology.build(env, config, INPUT, "toolong-out"))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("transaction.max.timeout.ms=900000");
    }

    private static Map<ReasonCode, List<String>> envelopesByReason(String topic) {
        Map<ReasonCode, List<String>> out = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                CommittedReader.read(KAFKA.bootstrapServers(), topic, new Properties())) {
            ErrorEnvelope e =
                    SingleObjectCodec.of(ErrorEnvelope.class).decode(record.value()).record();
            out.computeIfAbsent(e.getReasonCode(), r -> new ArrayList<>())
                    .add(e.getTopic() + "/" + e.getPartition() + "/" + e.getOffset());
        }
        return out;
    }

    private static List<String> sorted(List<String> lines) {
        List<String> copy = new ArrayList<>(lines);
        copy.sort(null);
        return copy;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /**
     * DESIGN.md §1 and the foundation issue's validation rules, applied to the records in the order
     * the loader writes them, with nothing from the runtime module.
     */
    private static final class Reference {
        final List<String> onTime = new ArrayList<>();
        final List<String> late = new ArrayList<>();
        final Map<ReasonCode, List<String>> bad = new TreeMap<>();

        static Reference classify(List<ProducerRecord<byte[], byte[]>> records) {
            Reference ref = new Reference();
            Map<Integer, Long> offsets = new HashMap<>();
            Map<Integer, Long> maxEventTime = new HashMap<>();
            for (ProducerRecord<byte[], byte[]> record : records) {
                long offset = offsets.merge(record.partition(), 1L, Long::sum) - 1;
                String coordinates = INPUT + "/" + record.partition() + "/" + offset;
                GenericRecord value;
                try {
                    value = SingleObjectCodec.decodeGeneric(record.value());
                } catch (IllegalArgumentException e) {
                    ref.bad(ReasonCode.DESERIALIZATION_FAILED, coordinates);
                    continue;
                }
                String type = value.getSchema().getName();
                JsonNode json = AvroJson.toJson(value);
                if (type.equals("Heartbeat")) {
                    long et = Instant.parse(json.get("eventTime").asText()).toEpochMilli();
                    maxEventTime.merge(record.partition(), et, Math::max);
                    continue;
                }
                if (!type.equals("Click")) {
                    ref.bad(ReasonCode.SCHEMA_MISMATCH, coordinates);
                    continue;
                }
                if (record.key() == null || record.key().length == 0) {
                    ref.bad(ReasonCode.MISSING_KEY, coordinates);
                    continue;
                }
                if (json.get("eventTime").isNull()) {
                    ref.bad(ReasonCode.MISSING_EVENT_TIME, coordinates);
                    continue;
                }
                long et = Instant.parse(json.get("eventTime").asText()).toEpochMilli();
                if (et - record.timestamp() > MAX_SKEW_AHEAD_MS) {
                    ref.bad(ReasonCode.EVENT_TIME_SKEW, coordinates);
                    continue;
                }
                if (json.get("eventId").asText().isEmpty()) {
                    ref.bad(ReasonCode.INVALID_FIELD, coordinates);
                    continue;
                }
                Long max = maxEventTime.get(record.partition());
                if (max != null && et < max - BOUND_MS) {
                    ref.late.add(coordinates);
                    continue;
                }
                maxEventTime.merge(record.partition(), et, Math::max);
                ref.onTime.add(AvroJson.canonical(json));
            }
            return ref;
        }

        void bad(ReasonCode reason, String coordinates) {
            bad.computeIfAbsent(reason, r -> new ArrayList<>()).add(coordinates);
        }
    }
}
