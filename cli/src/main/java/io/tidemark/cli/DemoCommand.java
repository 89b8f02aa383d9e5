package io.tidemark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.SingleObjectCodec;
import io.tidemark.common.testing.ClickGenerator;
import io.tidemark.common.testing.CommittedReader;
import io.tidemark.common.testing.EmbeddedKafka;
import io.tidemark.common.testing.JsonLinesLoader;
import io.tidemark.common.testing.LoadResult;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark demo}: everything in one process, no installation. For now it shows the data path
 * (embedded Kafka, loader, committed reader); the jobs join it as they land.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Starts an embedded Kafka broker, loads sample clicks into a 'clicks' topic and reads"
                    + " them back as a read_committed consumer sees them."
        })
final class DemoCommand implements Callable<Integer> {

    static final String SAMPLE_CLICKS = "sample-data/clicks-example.jsonl";
    static final String TOPIC = "clicks";
    static final int PARTITIONS = 2;
    private static final int MAX_ROWS = 40;
    private static final int MAX_VALUE_WIDTH = 100;

    @Spec CommandSpec spec;

    @Option(
            names = "--clicks",
            description =
                    "JSON Lines of clicks to load (default: "
                            + SAMPLE_CLICKS
                            + " in the current directory or the Tidemark checkout; 20 seeded"
                            + " clicks when there is none).")
    Path clicks;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<Path> file = clicksFile();
        out.println("Starting an embedded Kafka broker (KRaft, one node)...");
        out.flush();
        long started = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            out.printf(
                    "Kafka is up at %s after %.1f s%n",
                    kafka.bootstrapServers(), (System.nanoTime() - started) / 1e9);
            kafka.createTopic(TOPIC, PARTITIONS);
            out.printf("Created topic %s with %d partitions%n", TOPIC, PARTITIONS);

            LoadResult loaded;
            if (file.isPresent()) {
                loaded =
                        JsonLinesLoader.load(
                                file.get(),
                                TOPIC,
                                "Click",
                                kafka.bootstrapServers(),
                                new Properties());
                out.println("Loaded " + loaded + " from " + file.get());
            } else {
                List<String> lines =
                        ClickGenerator.generate(
                                ClickGenerator.Spec.builder()
                                        .seed(1)
                                        .events(20)
                                        .users(4)
                                        .partitions(PARTITIONS)
                                        .build());
                loaded =
                        JsonLinesLoader.load(
                                lines,
                                "generated clicks",
                                TOPIC,
                                "Click",
                                kafka.bootstrapServers(),
                                new Properties());
                out.println(
                        "No "
                                + SAMPLE_CLICKS
                                + " found; loaded "
                                + loaded
                                + " from 20 seeded clicks");
            }

            List<ConsumerRecord<byte[], byte[]>> records =
                    CommittedReader.read(kafka.bootstrapServers(), TOPIC, new Properties());
            out.println();
            out.println("Committed records of " + TOPIC + " (read_committed):");
            printTable(out, records);
            out.println();
            out.println("No jobs yet: the sessionization job lands with issue 2.");
            out.flush();
        }
        return 0;
    }

    /** The explicit file, else the sample in the working directory, else in TIDEMARK_HOME. */
    private Optional<Path> clicksFile() {
        if (clicks != null) {
            if (!Files.isReadable(clicks)) {
                throw CliOptions.invalid(spec, "--clicks " + clicks + ": no such readable file");
            }
            return Optional.of(clicks);
        }
        Path local = Path.of(SAMPLE_CLICKS);
        if (Files.isReadable(local)) {
            return Optional.of(local);
        }
        String home = System.getenv("TIDEMARK_HOME");
        if (home != null && Files.isReadable(Path.of(home, SAMPLE_CLICKS))) {
            return Optional.of(Path.of(home, SAMPLE_CLICKS));
        }
        return Optional.empty();
    }

    private static void printTable(PrintWriter out, List<ConsumerRecord<byte[], byte[]>> records) {
        String format = "%4s %6s  %-24s  %-10s  %s%n";
        out.printf(format, "PART", "OFFSET", "TIMESTAMP", "KEY", "VALUE");
        int rows = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (rows++ == MAX_ROWS) {
                out.printf("... and %d more%n", records.size() - MAX_ROWS);
                break;
            }
            out.printf(
                    format,
                    record.partition(),
                    record.offset(),
                    AvroJson.formatInstant(record.timestamp()),
                    record.key() == null
                            ? "(null)"
                            : new String(record.key(), StandardCharsets.UTF_8),
                    describeValue(record));
        }
    }

    /**
     * The value's type and fields, leaving out nulls and what the key and timestamp columns already
     * show, so a row fits a terminal line; a byte count for values that do not decode.
     */
    static String describeValue(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return "(tombstone)";
        }
        GenericRecord value;
        try {
            value = SingleObjectCodec.decodeGeneric(record.value());
        } catch (IllegalArgumentException e) {
            return "(" + record.value().length + " bytes, not a Tidemark record)";
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        String timestamp = AvroJson.formatInstant(record.timestamp());
        ObjectNode json = AvroJson.toJson(value);
        json.properties()
                .removeIf(
                        field ->
                                field.getValue().isNull()
                                        || field.getValue().asText().equals(key)
                                        || field.getValue().asText().equals(timestamp));
        String text = value.getSchema().getName() + (json.isEmpty() ? "" : " " + json);
        return text.length() <= MAX_VALUE_WIDTH
                ? text
                : text.substring(0, MAX_VALUE_WIDTH - 3) + "...";
    }
}
