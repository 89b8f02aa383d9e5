package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tidemark load} with bad lines, on an embedded broker: a {@code _raw} line without {@code
 * _timestamp} loads (with the time of the line above), a record with {@code null} in a non-null
 * field fails the load naming {@code file:line}, and with {@code --skip-bad} goes to the DLQ topic
 * with its bytes while the rest is loaded.
 */
class LoadCommandITCase {

    private static final String NULL_USER =
            "{\"eventId\":\"e2\",\"userId\":null,\"eventTime\":\"2026-11-01T10:00:02.000Z\","
                    + "\"type\":\"PAGE_VIEW\",\"page\":\"/\"}";
    private static final List<String> LINES =
            List.of(
                    "{\"eventId\":\"e1\",\"userId\":\"u\",\"eventTime\":\"2026-11-01T10:00:01.000Z\","
                            + "\"type\":\"PAGE_VIEW\",\"page\":\"/\",\"_partition\":0}",
                    "{\"_raw\":\"not avro\",\"_partition\":1}",
                    NULL_USER,
                    "{\"eventId\":\"e3\",\"userId\":\"u\",\"eventTime\":\"2026-11-01T10:00:03.000Z\","
                            + "\"type\":\"PAGE_VIEW\",\"page\":\"/\",\"_partition\":0}");

    private static EmbeddedKafka kafka;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir Path dir;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private int load(String topic, String... extra) throws IOException {
        Path file = dir.resolve("clicks.jsonl");
        Files.write(file, LINES, StandardCharsets.UTF_8);
        String[] args = {
            "load",
            "--bootstrap",
            kafka.bootstrapServers(),
            "--topic",
            topic,
            "--type",
            "Click",
            "--file",
            file.toString(),
            "--create-partitions",
            "2"
        };
        String[] all = new String[args.length + extra.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return CliRun.execute(out, err, all);
    }

    @Test
    void aBadLineFailsTheLoadNamingFileAndLineAndNothingIsWritten() throws IOException {
        assertThat(load("strict")).as(err.toString()).isEqualTo(1);

        assertThat(err.toString())
                .contains(
                        dir.resolve("clicks.jsonl")
                                + ":3: not a valid Click: $.userId: expected a string but got"
                                + " null")
                .contains("--skip-bad")
                .doesNotContain(":2:");
        assertThat(CommittedReader.read(kafka.bootstrapServers(), "strict", new Properties()))
                .isEmpty();
    }

    @Test
    void withSkipBadTheBadLineGoesToTheDlqTopicWithItsBytesAndTheRestIsLoaded() throws IOException {
        assertThat(load("lenient", "--skip-bad")).as(err.toString()).isZero();

        assertThat(out.toString())
                .contains("loaded 3 records into lenient (partition 0: 2, partition 1: 1)")
                .contains("1 bad line into lenient-dlq")
                .contains("INVALID_FIELD " + dir.resolve("clicks.jsonl") + ":3: ");
        List<ConsumerRecord<byte[], byte[]>> loaded =
                CommittedReader.read(kafka.bootstrapServers(), "lenient", new Properties());
        assertThat(loaded)
                .filteredOn(r -> r.partition() == 1)
                .singleElement()
                .satisfies(
                        raw -> {
                            assertThat(raw.value())
                                    .isEqualTo("not avro".getBytes(StandardCharsets.UTF_8));
                            assertThat(raw.timestamp()).isEqualTo(1793527201000L); // line 1's
                        });
        List<ConsumerRecord<byte[], byte[]>> dlq =
                CommittedReader.read(kafka.bootstrapServers(), "lenient-dlq", new Properties());
        assertThat(dlq).hasSize(1);
        ErrorEnvelope envelope =
                SingleObjectCodec.of(ErrorEnvelope.class).decode(dlq.get(0).value()).record();
        assertThat(envelope.getReasonCode()).isEqualTo(ReasonCode.INVALID_FIELD);
        assertThat(envelope.getValue().array())
                .isEqualTo(NULL_USER.getBytes(StandardCharsets.UTF_8));
        assertThat(envelope.getTopic()).isEqualTo("lenient");
        assertThat(envelope.getJob()).isEqualTo("load");
    }

    @Test
    void dlqTopicOptionNamesTheTopic() throws IOException {
        assertThat(load("named", "--skip-bad", "--dlq-topic", "load-rejects"))
                .as(err.toString())
                .isZero();

        assertThat(out.toString()).contains("1 bad line into load-rejects");
        assertThat(CommittedReader.read(kafka.bootstrapServers(), "load-rejects", new Properties()))
                .hasSize(1);
    }
}
