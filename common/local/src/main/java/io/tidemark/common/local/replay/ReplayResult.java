package io.tidemark.common.local.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.schemas.AvroJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a replay committed, in canonical form: per output role (e.g. {@code output}) the final value
 * per key, and the late and DLQ envelopes; each list holds one canonical JSON object per line,
 * sorted by output key.
 *
 * @param inputs records written per input role
 */
public record ReplayResult(
        SortedMap<String, List<String>> outputs,
        List<String> late,
        List<String> dlq,
        SortedMap<String, Long> inputs) {

    /** Counts per outcome: records in, results per output, late, DLQ per reason. */
    public ObjectNode metrics() {
        ObjectNode metrics = AvroJson.MAPPER.createObjectNode();
        ObjectNode in = metrics.putObject("input");
        inputs.forEach(in::put);
        ObjectNode out = metrics.putObject("output");
        outputs.forEach((role, lines) -> out.put(role, lines.size()));
        metrics.put("late", late.size());
        ObjectNode dlqByReason = metrics.putObject("dlq");
        dlqReasons().forEach(dlqByReason::put);
        metrics.put("dlqTotal", dlq.size());
        return metrics;
    }

    /** DLQ envelopes counted per reason code. */
    public SortedMap<String, Long> dlqReasons() {
        SortedMap<String, Long> byReason = new TreeMap<>();
        for (String line : dlq) {
            byReason.merge(reasonOf(line), 1L, Long::sum);
        }
        return byReason;
    }

    private static String reasonOf(String envelopeLine) {
        try {
            JsonNode node = AvroJson.MAPPER.readTree(envelopeLine);
            return node.get("reasonCode").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code <role>.jsonl} per output, {@code late.jsonl}, {@code dlq.jsonl} and {@code
     * metrics.json} into {@code dir}.
     */
    public void writeTo(Path dir) {
        for (Map.Entry<String, List<String>> output : outputs.entrySet()) {
            CommittedReader.writeLines(dir.resolve(output.getKey() + ".jsonl"), output.getValue());
        }
        CommittedReader.writeLines(dir.resolve("late.jsonl"), late);
        CommittedReader.writeLines(dir.resolve("dlq.jsonl"), dlq);
        try {
            Files.writeString(
                    dir.resolve("metrics.json"),
                    AvroJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(metrics())
                            + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
