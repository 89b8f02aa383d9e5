package io.tidemark.common.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.schemas.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad lines on a real broker: without a DLQ topic the load fails naming every bad line and writes
 * nothing; with one, each bad line lands there as an error envelope holding its bytes, and every
 * good line is loaded.
 */
class JsonLinesLoaderITCase {

    private static final String GOOD =
            "{\"eventId\":\"e%d\",\"userId\":\"u\",\"eventTime\":\"2026-11-01T10:00:0%d.000Z\","
                    + "\"type\":\"PAGE_VIEW\",\"page\":\"/\"}";
    private static final String NULL_USER =
            "{\"eventId\":\"e9\",\"userId\":null,\"eventTime\":\"2026-11-01T10:00:05.000Z\","
                    + "\"type\":\"PAGE_VIEW\",\"page\":\"/\"}";
    private static final String NOT_JSON = "{\"eventId\":";
    private static final List<String> LINES =
            List.of(
                    String.format(GOOD, 1, 1),
                    NULL_USER,
                    "{\"_raw\":\"not avro\",\"_key\":\"u\"}",
                    NOT_JSON,
                    String.format(GOOD, 2, 2));

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void withoutADlqTopicBadLinesFailTheLoadAndNothingIsWritten() {
        kafka.createTopic("strict", 2);

        assertThatThrownBy(
                        () ->
                                JsonLinesLoader.load(
                                        LINES,
                                        "clicks.jsonl",
                                        "strict",
                                        "Click",
                                        kafka.bootstrapServers(),
                                        null))
                .isInstanceOf(JsonLinesLoader.BadLinesException.class)
                .hasMessageContaining("clicks.jsonl:2: not a valid Click: $.userId")
                .hasMessageContaining("clicks.jsonl:4: not valid JSON")
                .hasMessageEndingWith("2 bad lines");
        assertThat(CommittedReader.read(kafka.bootstrapServers(), "strict", new Properties()))
                .isEmpty();
    }

    @Test
    void withADlqTopicBadLinesGoThereAsEnvelopesWithTheirBytesAndTheRestIsLoaded() {
        kafka.createTopic("lenient", 2);

        LoadResult result =
                JsonLinesLoader.load(
                        LINES,
                        "clicks.jsonl",
                        "lenient",
                        "Click",
                        kafka.bootstrapServers(),
                        null,
                        "lenient-dlq");

        assertThat(result.total()).isEqualTo(3);
        assertThat(result.dlqTopic()).isEqualTo("lenient-dlq");
        assertThat(result.toString()).endsWith("; 2 bad lines into lenient-dlq");
        List<ConsumerRecord<byte[], byte[]>> loaded =
                CommittedReader.read(kafka.bootstrapServers(), "lenient", new Properties());
        assertThat(loaded).hasSize(3);
        assertThat(loaded)
                .filteredOn(r -> "not avro".equals(new String(r.value(), StandardCharsets.UTF_8)))
                .singleElement()
                .satisfies(
                        // no time of its own: the line above's (10:00:05)
                        r -> assertThat(r.timestamp()).isEqualTo(1793527205000L));

        List<ConsumerRecord<byte[], byte[]>> dlq =
                CommittedReader.read(kafka.bootstrapServers(), "lenient-dlq", new Properties());
        assertThat(dlq).hasSize(2);
        SingleObjectCodec<ErrorEnvelope> codec = SingleObjectCodec.of(ErrorEnvelope.class);
        ErrorEnvelope nullUser = codec.decode(dlq.get(0).value()).record();
        assertThat(new String(dlq.get(0).key(), StandardCharsets.UTF_8))
                .isEqualTo("clicks.jsonl:2");
        assertThat(nullUser.getReasonCode()).isEqualTo(ReasonCode.INVALID_FIELD);
        assertThat(nullUser.getValue().array())
                .isEqualTo(NULL_USER.getBytes(StandardCharsets.UTF_8));
        assertThat(nullUser.getTopic()).isEqualTo("lenient");
        assertThat(nullUser.getMessage()).startsWith("clicks.jsonl:2: ");
        ErrorEnvelope notJson = codec.decode(dlq.get(1).value()).record();
        assertThat(notJson.getReasonCode()).isEqualTo(ReasonCode.DESERIALIZATION_FAILED);
        assertThat(notJson.getValue().array()).isEqualTo(NOT_JSON.getBytes(StandardCharsets.UTF_8));
    }
}
