package io.tidemark.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.cli.cluster.FlinkRest;
import io.tidemark.common.runtime.metrics.TidemarkMetrics;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A report of a running job from its Flink metrics, read through the REST API: every metric of the
 * {@value TidemarkMetrics#GROUP} group of every subtask (counters summed, gauges at their maximum),
 * and each operator's current input watermark.
 */
public final class LiveJobReport {

    /** {@code <subtask>.<operator>.tidemark.<path>}, as the REST API names operator metrics. */
    private static final Pattern METRIC =
            Pattern.compile("^\\d+\\.(.+?)\\." + TidemarkMetrics.GROUP + "\\.(.+)$");

    private static final Map<String, String> COUNTERS = new LinkedHashMap<>();

    static {
        COUNTERS.put(TidemarkMetrics.READ, "records in");
        COUNTERS.put(TidemarkMetrics.ON_TIME, "on time");
        COUNTERS.put(TidemarkMetrics.LATE, "late");
        COUNTERS.put(TidemarkMetrics.LATE_AFTER_IDLE, "late after idle");
        COUNTERS.put(TidemarkMetrics.HEARTBEATS, "heartbeats");
        COUNTERS.put(TidemarkMetrics.DUPLICATES, "duplicates dropped");
        COUNTERS.put(TidemarkMetrics.PRODUCT_NOT_FOUND, "product not found");
        COUNTERS.put(TidemarkMetrics.CUSTOMER_NOT_FOUND, "customer not found");
    }

    private LiveJobReport() {}

    public static JobReport from(FlinkRest rest, String jobId) {
        JsonNode job = rest.job(jobId);
        Map<String, Long> counts = new LinkedHashMap<>();
        SortedMap<String, Long> dlq = new TreeMap<>();
        SortedMap<String, Long> partitionMax = new TreeMap<>();
        SortedMap<String, Long> partitionLate = new TreeMap<>();
        long lag = Long.MIN_VALUE;
        long newest = Long.MIN_VALUE;
        Long lowestWatermark = null;
        List<JobReport.OperatorWatermark> watermarks = new ArrayList<>();
        for (JsonNode vertex : job.path("vertices")) {
            String vertexId = vertex.path("id").asText();
            for (Map.Entry<String, Long> metric :
                    tidemarkMetrics(rest, jobId, vertexId).entrySet()) {
                Matcher m = METRIC.matcher(metric.getKey());
                if (!m.matches()) {
                    continue;
                }
                String[] path = m.group(2).split("\\.");
                long value = metric.getValue();
                if (path.length == 1 && COUNTERS.containsKey(path[0])) {
                    counts.merge(COUNTERS.get(path[0]), value, Long::sum);
                } else if (path.length == 1 && path[0].equals(TidemarkMetrics.WATERMARK_LAG)) {
                    lag = Math.max(lag, value);
                } else if (path.length == 1 && path[0].equals(TidemarkMetrics.MAX_EVENT_TIME)) {
                    newest = Math.max(newest, value);
                } else if (path.length == 1 && path[0].equals(TidemarkMetrics.WATERMARK)) {
                    lowestWatermark =
                            lowestWatermark == null ? value : Math.min(lowestWatermark, value);
                } else if (path.length == 3 && path[0].equals(TidemarkMetrics.REASON)) {
                    dlq.merge(path[1], value, Long::sum);
                } else if (path.length >= 3 && path[0].equals(TidemarkMetrics.PARTITION)) {
                    String partition =
                            String.join(
                                    ".", java.util.Arrays.copyOfRange(path, 1, path.length - 1));
                    String name = path[path.length - 1];
                    if (name.equals(TidemarkMetrics.PARTITION_MAX_EVENT_TIME)) {
                        partitionMax.merge(partition, value, Math::max);
                    } else if (name.equals(TidemarkMetrics.LATE)) {
                        partitionLate.merge(partition, value, Long::sum);
                    }
                }
            }
            watermarks.add(
                    new JobReport.OperatorWatermark(
                            vertex.path("name").asText(), inputWatermark(rest, jobId, vertexId)));
        }
        if (lowestWatermark != null) {
            // The watermark windows see is the lowest over every source subtask: a subtask whose
            // own lag is small may still be held back by a partition another subtask reads.
            lag = Math.max(lag, TidemarkMetrics.watermarkLag(newest, lowestWatermark));
        }
        Map<String, Long> ordered = new LinkedHashMap<>();
        COUNTERS.values().stream()
                .filter(counts::containsKey)
                .forEach(c -> ordered.put(c, counts.get(c)));
        SortedMap<String, JobReport.PartitionLateness> partitions = new TreeMap<>();
        partitionMax.forEach(
                (p, max) ->
                        partitions.put(
                                p,
                                new JobReport.PartitionLateness(
                                        max, partitionLate.getOrDefault(p, 0L))));
        partitionLate.forEach(
                (p, late) ->
                        partitions.putIfAbsent(p, new JobReport.PartitionLateness(null, late)));
        return new JobReport(
                job.path("name").asText()
                        + ": job "
                        + jobId
                        + " "
                        + job.path("state").asText()
                        + " on "
                        + rest.url(),
                ordered,
                dlq,
                partitions,
                watermarks,
                lag == Long.MIN_VALUE ? null : lag);
    }

    /** The vertex's {@value TidemarkMetrics#GROUP} metrics: id → value, per subtask. */
    private static Map<String, Long> tidemarkMetrics(
            FlinkRest rest, String jobId, String vertexId) {
        String base = "jobs/" + jobId + "/vertices/" + vertexId + "/metrics";
        List<String> ids = new ArrayList<>();
        rest.get(base)
                .forEach(
                        m -> {
                            String id = m.path("id").asText();
                            if (METRIC.matcher(id).matches()) {
                                ids.add(id);
                            }
                        });
        Map<String, Long> values = new LinkedHashMap<>();
        // In slices: one request per metric would be slow, all of them in one URL too long.
        for (int from = 0; from < ids.size(); from += 40) {
            List<String> slice = ids.subList(from, Math.min(ids.size(), from + 40));
            StringBuilder query = new StringBuilder();
            for (String id : slice) {
                query.append(query.length() == 0 ? "" : ",")
                        .append(URLEncoder.encode(id, StandardCharsets.UTF_8));
            }
            for (JsonNode metric : rest.get(base + "?get=" + query)) {
                try {
                    values.put(
                            metric.path("id").asText(),
                            Long.parseLong(metric.path("value").asText()));
                } catch (NumberFormatException notANumber) {
                    // a gauge that has no value yet
                }
            }
        }
        return values;
    }

    /** The lowest current input watermark over the vertex's subtasks. */
    private static long inputWatermark(FlinkRest rest, String jobId, String vertexId) {
        long min = Long.MAX_VALUE;
        boolean any = false;
        for (JsonNode w : rest.get("jobs/" + jobId + "/vertices/" + vertexId + "/watermarks")) {
            try {
                min = Math.min(min, Long.parseLong(w.path("value").asText()));
                any = true;
            } catch (NumberFormatException e) {
                // not reported yet
            }
        }
        return any ? min : Long.MIN_VALUE;
    }
}
