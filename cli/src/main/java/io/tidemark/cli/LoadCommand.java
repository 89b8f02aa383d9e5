package io.tidemark.cli;

import io.tidemark.common.local.BadLine;
import io.tidemark.common.local.JsonLinesLoader;
import io.tidemark.common.local.KafkaTopics;
import io.tidemark.common.local.LoadResult;
import io.tidemark.common.schemas.TidemarkSchemas;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tidemark load}: JSON Lines into a topic, the same way the tests load them. */
@Command(
        name = "load",
        mixinStandardHelpOptions = true,
        description = {
            "Loads a JSON Lines file into a Kafka topic as Avro single-object encoded records,"
                    + " in file order.",
            "Control fields per line: _partition, _key, _timestamp, _raw, _rawBase64, _type"
                    + " (see cli/README.md).",
            "A bad line fails the load before anything is written, naming file:line; with"
                    + " --skip-bad it goes to the DLQ topic as an error envelope holding its"
                    + " bytes instead, and the other lines are loaded."
        })
final class LoadCommand implements Callable<Integer> {

    private static final int MAX_BAD_LINES_SHOWN = 10;

    @Spec CommandSpec spec;

    @Option(
            names = "--bootstrap",
            required = true,
            description = "Kafka bootstrap servers, host:port[,host:port...].")
    String bootstrap;

    @Option(names = "--topic", required = true, description = "Topic to write to.")
    String topic;

    @Option(
            names = "--type",
            required = true,
            description =
                    "Record type of the lines, e.g. Click, Order, ProductChange, CustomerChange.")
    String type;

    @Option(names = "--file", required = true, description = "The JSON Lines file.")
    Path file;

    @Option(
            names = "--create-partitions",
            description = "Create the topic with this many partitions if it does not exist.")
    Integer createPartitions;

    @Option(
            names = "--skip-bad",
            description =
                    "Write bad lines to the DLQ topic (as error envelopes with the line's bytes)"
                            + " and load the others, instead of failing.")
    boolean skipBad;

    @Option(
            names = "--dlq-topic",
            paramLabel = "TOPIC",
            description =
                    "With --skip-bad: where bad lines go (default: <topic>-dlq; created with one"
                            + " partition and retention.ms=-1 if missing).")
    String dlqTopic;

    @Option(
            names = {"-p", "--property"},
            description =
                    "Extra Kafka client property, e.g. -p security.protocol=SASL_SSL; repeatable.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Override
    public Integer call() {
        if (!TidemarkSchemas.typeNames().contains(type)) {
            throw CliOptions.invalid(
                    spec,
                    "--type "
                            + type
                            + " is not a record type; known: "
                            + TidemarkSchemas.typeNames());
        }
        if (!Files.isReadable(file)) {
            throw CliOptions.invalid(spec, "--file " + file + ": no such readable file");
        }
        if (createPartitions != null) {
            CliOptions.atLeast(spec, "--create-partitions", createPartitions, 1);
        }
        if (dlqTopic != null && !skipBad) {
            throw CliOptions.invalid(spec, "--dlq-topic applies with --skip-bad only");
        }
        String dlq = dlqTopic != null ? dlqTopic : topic + "-dlq";
        Properties clientProps = new Properties();
        clientProps.putAll(properties);
        clientProps.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (createPartitions != null) {
            try (Admin admin = Admin.create(clientProps)) {
                boolean created =
                        KafkaTopics.createIfMissing(
                                admin, topic, createPartitions, Optional.empty(), Map.of());
                spec.commandLine()
                        .getOut()
                        .println(
                                created
                                        ? "created topic "
                                                + topic
                                                + " with "
                                                + createPartitions
                                                + " partitions"
                                        : "topic " + topic + " exists; left as it is");
            }
        }
        LoadResult result;
        try {
            result =
                    JsonLinesLoader.load(
                            file, topic, type, bootstrap, clientProps, skipBad ? dlq : null);
        } catch (JsonLinesLoader.BadLinesException e) {
            throw new IllegalArgumentException(
                    e.getMessage()
                            + "\nNothing was written. Fix the line(s), or load with --skip-bad to"
                            + " write the others and send these to "
                            + dlq
                            + " (--dlq-topic).",
                    e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("loaded " + result);
        int shown = 0;
        for (BadLine bad : result.badLines()) {
            if (shown++ == MAX_BAD_LINES_SHOWN) {
                out.printf("  ... and %d more%n", result.badLines().size() - MAX_BAD_LINES_SHOWN);
                break;
            }
            out.printf("  %s %s%n", bad.reason(), bad.message());
        }
        return 0;
    }
}
