package io.tidemark.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.schemas.AvroJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A report of a finished replay, demo or backfill output directory ({@code metrics.json}, {@code
 * late.jsonl}, {@code dlq.jsonl}, as {@code ReplayResult.writeTo} writes them). Lateness per
 * partition comes from the late envelopes' source topic and partition; a bounded run ends with the
 * maximum watermark, so there is no watermark to show.
 */
public final class ReplayReport {

    private ReplayReport() {}

    public static JobReport from(String job, Path dir) {
        Path metricsFile = dir.resolve("metrics.json");
        if (!Files.isRegularFile(metricsFile)) {
            throw new IllegalArgumentException(
                    dir
                            + " holds no metrics.json: pass the output directory of a replay, demo scenario or backfill");
        }
        JsonNode metrics = read(metricsFile);
        Map<String, Long> counts = new LinkedHashMap<>();
        long read = 0;
        for (JsonNode n : metrics.path("input")) {
            read += n.asLong();
        }
        counts.put("records in", read);
        metrics.path("output")
                .fields()
                .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        counts.put("late", metrics.path("late").asLong());
        SortedMap<String, Long> dlq = new TreeMap<>();
        metrics.path("dlq")
                .fields()
                .forEachRemaining(e -> dlq.put(e.getKey(), e.getValue().asLong()));

        SortedMap<String, JobReport.PartitionLateness> partitions = new TreeMap<>();
        for (String line : lines(dir.resolve("late.jsonl"))) {
            JsonNode envelope = parse(line);
            String partition =
                    envelope.path("topic").asText() + "/" + envelope.path("partition").asInt();
            JobReport.PartitionLateness before =
                    partitions.getOrDefault(partition, new JobReport.PartitionLateness(null, 0));
            partitions.put(partition, new JobReport.PartitionLateness(null, before.late() + 1));
        }
        return new JobReport(
                job
                        + ": replay output "
                        + dir.toAbsolutePath().normalize()
                        + " (finished, bounded)",
                counts,
                dlq,
                partitions,
                List.of(),
                null);
    }

    private static List<String> lines(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return AvroJson.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return AvroJson.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON envelope: " + line, e);
        }
    }
}
