package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.HeartbeatWriter;
import io.tidemark.common.local.HeartbeatWriter.EventTimeSource;
import io.tidemark.common.schemas.Decoded;
import io.tidemark.common.schemas.ProductChange;
import io.tidemark.common.schemas.SingleObjectCodec;
import io.tidemark.common.testing.EmbeddedKafkaExtension;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tidemark heartbeat} against an embedded broker: one heartbeat per partition, stamped with
 * its event time, taken from {@code --at}, from a followed topic, or from the clock.
 */
class HeartbeatCommandITCase {

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final SingleObjectCodec<ProductChange> CODEC =
            SingleObjectCodec.of(ProductChange.class);

    private record Run(int exitCode, String out, String err) {}

    private static Run tidemark(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CliRun.execute(out, err, args);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * Per record: partition, Kafka timestamp and the heartbeat's event time as a products job sees
     * it.
     */
    private static List<String> heartbeats(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records =
                CommittedReader.read(KAFKA.bootstrapServers(), topic, new Properties());
        return records.stream()
                .map(
                        r -> {
                            Decoded<ProductChange> decoded = CODEC.decode(r.value());
                            assertThat(decoded.kind()).isEqualTo(Decoded.Kind.HEARTBEAT);
                            assertThat(r.key()).isNull();
                            return r.partition()
                                    + " "
                                    + Instant.ofEpochMilli(r.timestamp())
                                    + " "
                                    + decoded.heartbeat().getEventTime();
                        })
                .toList();
    }

    @Test
    void onceAtWritesOneHeartbeatToEveryPartitionOfEveryTopic() {
        KAFKA.createTopic("hb-products", 3);
        KAFKA.createTopic("hb-customers", 2);

        Run run =
                tidemark(
                        "heartbeat",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        "hb-products",
                        "--topic",
                        "hb-customers",
                        "--once",
                        "--at",
                        "2026-11-01T01:00:00Z");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("hb-products: heartbeat at 2026-11-01T01:00:00Z to 3 partitions")
                .contains("hb-customers: heartbeat at 2026-11-01T01:00:00Z to 2 partitions");
        String t = "2026-11-01T01:00:00Z";
        assertThat(heartbeats("hb-products"))
                .containsExactly("0 " + t + " " + t, "1 " + t + " " + t, "2 " + t + " " + t);
        assertThat(heartbeats("hb-customers"))
                .containsExactly("0 " + t + " " + t, "1 " + t + " " + t);
    }

    @Test
    void followTakesTheSlowestPartitionOfTheFollowedTopicMinusTheLag() throws Exception {
        KAFKA.createTopic("hb-orders", 2);
        KAFKA.createTopic("hb-follow-products", 2);

        Run empty =
                tidemark(
                        "heartbeat",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        "hb-follow-products",
                        "--follow",
                        "hb-orders",
                        "--once");
        assertThat(empty.exitCode()).as(empty.err()).isZero();
        assertThat(empty.out()).contains("hb-follow-products: skipped");

        Instant p0 = Instant.parse("2026-11-01T10:00:00Z");
        Instant p1 = Instant.parse("2026-11-01T09:00:00Z");
        Properties props = new Properties();
        props.put("bootstrap.servers", KAFKA.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (var record :
                    List.of(
                            new ProducerRecord<byte[], byte[]>(
                                    "hb-orders",
                                    0,
                                    p0.minusSeconds(60).toEpochMilli(),
                                    null,
                                    new byte[] {1}),
                            new ProducerRecord<byte[], byte[]>(
                                    "hb-orders", 0, p0.toEpochMilli(), null, new byte[] {1}),
                            new ProducerRecord<byte[], byte[]>(
                                    "hb-orders",
                                    0,
                                    p0.minusSeconds(30).toEpochMilli(),
                                    null,
                                    new byte[] {1}),
                            new ProducerRecord<byte[], byte[]>(
                                    "hb-orders", 1, p1.toEpochMilli(), null, new byte[] {1}))) {
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        }

        Run run =
                tidemark(
                        "heartbeat",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        "hb-follow-products",
                        "--follow",
                        "hb-orders",
                        "--event-time-lag",
                        "2 s",
                        "--once");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String t = p1.minusSeconds(2).toString();
        assertThat(heartbeats("hb-follow-products"))
                .containsExactly("0 " + t + " " + t, "1 " + t + " " + t);
    }

    @Test
    void clockMinusLagAndNoRoundBelowThePreviousOne() throws Exception {
        KAFKA.createTopic("hb-clock", 1);
        Instant now = Instant.parse("2026-12-04T08:00:00Z");
        try (HeartbeatWriter writer =
                new HeartbeatWriter(
                        KAFKA.bootstrapServers(),
                        new Properties(),
                        List.of("hb-clock"),
                        EventTimeSource.clockMinus(
                                Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(5)))) {
            HeartbeatWriter.Round first = writer.writeOnce();
            HeartbeatWriter.Round second = writer.writeOnce();

            assertThat(first.written()).containsEntry("hb-clock", now.minusSeconds(300));
            assertThat(second.wroteAny())
                    .as("the clock did not move: nothing new to claim")
                    .isFalse();
        }
        String t = now.minusSeconds(300).toString();
        assertThat(heartbeats("hb-clock")).containsExactly("0 " + t + " " + t);
    }

    @Test
    void rejectsAtWithoutOnceAndAMissingTopic() {
        Run atWithoutOnce =
                tidemark(
                        "heartbeat",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        "x",
                        "--at",
                        "2026-11-01T01:00:00Z");
        assertThat(atWithoutOnce.exitCode()).isEqualTo(2);
        assertThat(atWithoutOnce.err()).contains("--at needs --once");

        Run missing =
                tidemark(
                        "heartbeat",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        "hb-does-not-exist",
                        "--once",
                        "--at",
                        "2026-11-01T01:00:00Z");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("hb-does-not-exist does not exist");
    }
}
