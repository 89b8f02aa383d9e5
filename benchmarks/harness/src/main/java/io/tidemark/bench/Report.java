package io.tidemark.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark report: every run's figures, the ratios the README shows, and the targets. */
final class Report {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final BenchOptions options;
    private final InputLoader.Loaded loaded;
    private final InputLoader.LoadedShop shop;
    private final long loadMs;
    private final List<Map<String, Object>> runs;
    private final List<Map<String, Object>> latency;

    Report(
            BenchOptions options,
            InputLoader.Loaded loaded,
            InputLoader.LoadedShop shop,
            long loadMs,
            List<Map<String, Object>> runs,
            List<Map<String, Object>> latency) {
        this.latency = latency;
        this.options = options;
        this.loaded = loaded;
        this.shop = shop;
        this.loadMs = loadMs;
        this.runs = runs;
    }

    /** One line for the console: throughput and per-core throughput of a run. */
    static String summary(Map<String, Object> run) {
        return String.format(
                Locale.ROOT,
                "%s: %,.0f events/s, %,.0f events per CPU-second, wall %.1f s, CPU %.1f s, peak RSS %,d MB",
                run.get("run"),
                rate(run),
                perCpu(run),
                number(run, "wallMs") / 1000.0,
                number(run, "cpuMs") / 1000.0,
                (long) number(run, "peakRssKb") / 1024);
    }

    String json() throws JsonProcessingException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", machine());
        doc.put("input", input());
        doc.put("runs", runs);
        doc.put("ratios", ratios());
        doc.put("latency", latency);
        doc.put("targets", targets());
        return JSON.writeValueAsString(doc);
    }

    String markdown(String date) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark report ").append(date).append("\n\n");
        md.append(
                        "Written by `bin/tidemark bench` (benchmarks/README.md). Figures are job time only:")
                .append(
                        " each variant runs in its own JVM (-Xmx1g) against the same embedded KRaft broker")
                .append(" and measures from job start to its last result committed; CPU is the")
                .append(
                        " variant process's CPU time (all its threads), so *per CPU-second* is per core.\n\n");
        md.append("## Machine and input\n\n");
        machine().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        input().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\n## Runs\n\n");
        md.append(
                "| run | query | mode | state | p | events | wall s | events/s | CPU s | events per CPU-s | peak RSS MB | outputs | rollup | late | dlq |\n");
        md.append(
                "| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Map<String, Object> run : runs) {
            if (run.containsKey("error")) {
                md.append("| ")
                        .append(run.get("run"))
                        .append(" | failed: ")
                        .append(run.get("error"))
                        .append(" ||||||||||||||\n");
                continue;
            }
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %s | %s | %s | %,d | %.1f | %,.0f | %.1f | %,.0f | %,d | %s | %s | %s | %s |%n",
                            run.get("run"),
                            run.get("query"),
                            run.getOrDefault("mode", "streaming"),
                            run.getOrDefault("stateBackend", "-"),
                            run.getOrDefault("parallelism", run.getOrDefault("threads", 1)),
                            (long) number(run, "records"),
                            number(run, "wallMs") / 1000.0,
                            rate(run),
                            number(run, "cpuMs") / 1000.0,
                            perCpu(run),
                            (long) number(run, "peakRssKb") / 1024,
                            count(run, "outputs"),
                            count(run, "rollup"),
                            count(run, "late"),
                            count(run, "dlq")));
        }
        appendCheckpoints(md);
        md.append("\n## Ratios (events per CPU-second)\n\n| ratio | value |\n| --- | ---: |\n");
        ratios().forEach(
                        (k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\n## Records in per subtask\n\n");
        md.append(
                "Operator → `numRecordsIn` of each subtask; a stage whose records land on one subtask does not scale.\n\n");
        for (Map<String, Object> run : runs) {
            if (run.get("subtasks") instanceof Map<?, ?> subtasks && !subtasks.isEmpty()) {
                md.append("**")
                        .append(run.get("run"))
                        .append(
                                "**\n\n| operator | per subtask | busiest share |\n| --- | --- | ---: |\n");
                subtasks.forEach(
                        (operator, counts) ->
                                md.append("| ")
                                        .append(operator)
                                        .append(" | ")
                                        .append(counts)
                                        .append(" | ")
                                        .append(busiestShare(counts))
                                        .append(" |\n"));
                md.append('\n');
            }
        }
        md.append("## End-to-end latency (live, paced at half the measured rate)\n\n");
        md.append(
                "From producing the record that lets a session close (Flink: every partition past"
                        + " its end + gap + B; Kafka Streams: its own partition past end + gap +"
                        + " grace) to the session visible to a read_committed consumer. Exactly-once"
                        + " results become visible at checkpoints (Flink) or commits (Kafka Streams),"
                        + " every 10 s. 20 s warm-up, then 60 s measured.\n\n");
        md.append("| run | clicks/s | sessions measured | p50 ms | p99 ms | max ms |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Map<String, Object> l : latency) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %,d | %,d | %s | %s | %s |%n",
                            l.get("run"),
                            ((Number) l.get("rate")).longValue(),
                            ((Number) l.get("sessions")).longValue(),
                            l.getOrDefault("p50Ms", "-"),
                            l.getOrDefault("p99Ms", "-"),
                            l.getOrDefault("maxMs", "-")));
        }
        md.append('\n');
        md.append("## Targets (issue 10)\n\n| target | measured | met |\n| --- | --- | --- |\n");
        for (Map<String, Object> target : targets()) {
            md.append("| ")
                    .append(target.get("target"))
                    .append(" | ")
                    .append(target.get("measured"))
                    .append(" | ")
                    .append(target.get("met"))
                    .append(" |\n");
        }
        return md.toString();
    }

    private Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put(
                "java",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return m;
    }

    private Map<String, Object> input() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (loaded != null) {
            clicks(m);
        }
        if (shop != null) {
            double spanS = Math.max(1, shop.lastOrderTime() - shop.firstOrderTime()) / 1000.0;
            m.put("revenue: orders", shop.orders());
            m.put("revenue: product and customer changes (snapshot + updates)", shop.changes());
            m.put("revenue: customers", options.customers());
            m.put("revenue: products", BenchOrders.PRODUCTS);
            m.put(
                    "revenue: mean value bytes",
                    Math.round((double) shop.valueBytes() / (shop.orders() + shop.changes())));
            m.put("revenue: orders per event-time second", Math.round(shop.orders() / spanS));
            m.put("revenue: product and customer update every ms", BenchOrders.UPDATE_EVERY_MS);
        }
        m.put("load time s (not measured)", loadMs / 1000.0);
        return m;
    }

    private void clicks(Map<String, Object> m) {
        double spanS = (loaded.lastStreamTime() - loaded.firstEventTime()) / 1000.0;
        m.put("clicks", loaded.records());
        m.put("users", options.users());
        m.put("seed", options.seed());
        m.put("partitions", "2 (4 for the p=4 run)");
        m.put("mean value bytes", Math.round((double) loaded.valueBytes() / loaded.records()));
        m.put("event-time span s", Math.round(spanS));
        m.put("clicks per event-time second", Math.round(loaded.records() / spanS));
        m.put("session gap ms", BenchClicks.SESSION_GAP_MS);
        m.put("bound B ms", BenchClicks.BOUND_MS);
        m.put("disorder within B %", BenchClicks.DISORDER_PERCENT);
        m.put("late by 5-60 s %", BenchClicks.LATE_PERCENT);
    }

    private Map<String, Object> ratios() {
        Map<String, Object> r = new LinkedHashMap<>();
        ratio(r, "Tidemark ÷ Flink SQL (sessionization)", "tidemark", "flink-sql");
        ratio(r, "Tidemark ÷ Kafka Streams (sessionization)", "tidemark", "kafka-streams");
        ratio(r, "Tidemark ÷ Flink SQL (revenue)", "tidemark-revenue", "flink-sql-revenue");
        ratio(r, "Tidemark ÷ Kafka Streams (revenue)", "tidemark-revenue", "kafka-streams-revenue");
        ratio(r, "Tidemark ÷ consume-only", "tidemark", "consume-only");
        ratio(r, "Tidemark ÷ Flink pass-through", "tidemark", "flink-passthrough");
        ratio(r, "Tidemark heap ÷ Tidemark RocksDB", "tidemark-heap-small", "tidemark-small");
        ratio(
                r,
                "Tidemark heap timers ÷ RocksDB timers",
                "tidemark-heap-timers-small",
                "tidemark-small");
        ratio(
                r,
                "Tidemark object reuse (default) ÷ without",
                "tidemark-small",
                "tidemark-no-object-reuse-small");
        ratio(r, "Flink SQL heap ÷ Flink SQL RocksDB", "flink-sql-heap-small", "flink-sql-small");
        ratio(r, "Tidemark BATCH ÷ bounded STREAMING", "tidemark-batch-small", "tidemark-small");
        ratio(r, "Flink SQL BATCH ÷ bounded STREAMING", "flink-sql-batch-small", "flink-sql-small");
        return r;
    }

    private void ratio(Map<String, Object> r, String label, String a, String b) {
        Map<String, Object> x = run(a);
        Map<String, Object> y = run(b);
        if (x != null && y != null) {
            r.put(label, String.format(Locale.ROOT, "%.2f×", perCpu(x) / perCpu(y)));
        }
    }

    private List<Map<String, Object>> targets() {
        List<Map<String, Object>> t = new ArrayList<>();
        Map<String, Object> tidemark = run("tidemark");
        target(
                t,
                "Tidemark ≥ 1.2× Flink SQL per core (sessionization)",
                tidemark,
                run("flink-sql"),
                1.2);
        target(
                t,
                "Tidemark ≥ 1.0× Kafka Streams per core (sessionization)",
                tidemark,
                run("kafka-streams"),
                1.0);
        Map<String, Object> revenue = run("tidemark-revenue");
        target(
                t,
                "Tidemark ≥ 1.2× Flink SQL per core (revenue)",
                revenue,
                run("flink-sql-revenue"),
                1.2);
        target(
                t,
                "Tidemark ≥ 1.0× Kafka Streams per core (revenue)",
                revenue,
                run("kafka-streams-revenue"),
                1.0);
        if (tidemark != null) {
            Map<String, Object> heap = run("tidemark-heap-small");
            Map<String, Object> base = run("tidemark-small");
            t.add(
                    Map.of(
                            "target",
                            "sessionization ≥ 25,000 events per CPU-second (RocksDB)",
                            "measured",
                            String.format(
                                    Locale.ROOT,
                                    "%,.0f (heap backend: %s)",
                                    perCpu(tidemark),
                                    heap == null || base == null
                                            ? "not run"
                                            : String.format(
                                                    Locale.ROOT,
                                                    "%.2f× RocksDB on the small input",
                                                    perCpu(heap) / perCpu(base))),
                            "met",
                            perCpu(tidemark) >= 25_000 ? "yes" : "no"));
        }
        Map<String, Object> batch = run("tidemark-batch-small");
        Map<String, Object> streamingSmall = run("tidemark-small");
        if (streamingSmall != null && batch != null) {
            double speedup = rate(batch) / rate(streamingSmall);
            t.add(
                    Map.of(
                            "target",
                            "BATCH backfill ≥ 2× bounded STREAMING throughput",
                            "measured",
                            String.format(
                                    Locale.ROOT,
                                    "%.2f× (events/s), %.2f× per core",
                                    speedup,
                                    perCpu(batch) / perCpu(streamingSmall)),
                            "met",
                            speedup >= 2 ? "yes" : "no"));
        }
        for (String name : List.of("tidemark", "tidemark-revenue", "tidemark-p4-small")) {
            Map<String, Object> run = run(name);
            if (run != null
                    && run.get("subtasks") instanceof Map<?, ?> subtasks
                    && !subtasks.isEmpty()) {
                String worst = "";
                double worstShare = 0;
                for (var e : subtasks.entrySet()) {
                    double share = share(e.getValue());
                    if (share > worstShare) {
                        worstShare = share;
                        worst = String.valueOf(e.getKey());
                    }
                }
                int p = ((List<?>) subtasks.values().iterator().next()).size();
                t.add(
                        Map.of(
                                "target",
                                "every stage scales (p="
                                        + p
                                        + ", "
                                        + name
                                        + "): no stage's load on one subtask",
                                "measured",
                                String.format(
                                        Locale.ROOT,
                                        "busiest subtask share %.0f%% (%s; even = %.0f%%)",
                                        100 * worstShare,
                                        worst,
                                        100.0 / p),
                                "met",
                                worstShare <= 1.5 / p ? "yes" : "no"));
            }
        }
        long bound = BenchClicks.BOUND_MS + 10_000 + 1_000;
        for (Map<String, Object> l : latency) {
            Object p99 = l.get("p99Ms");
            t.add(
                    Map.of(
                            "target",
                            "latency p99 ≤ B + checkpoint interval + 1 s = 13 s at 50% of max rate ("
                                    + l.get("run")
                                    + ")",
                            "measured",
                            p99 == null ? "no session measured" : "p99 " + p99 + " ms",
                            "met",
                            p99 != null && ((Number) p99).longValue() <= bound ? "yes" : "no"));
        }
        Map<String, Object> restore = run("tidemark-restore-small");
        Map<String, Object> steady = run("tidemark-small");
        if (restore != null && steady != null) {
            double restoreS = number(restore, "restoreMs") / 1000.0;
            double catchUp = number(restore, "catchUpEventsPerSec") / rate(steady);
            t.add(
                    Map.of(
                            "target",
                            "restore from savepoint ≤ 2 s plus catch-up at full speed",
                            "measured",
                            String.format(
                                    Locale.ROOT,
                                    "records flowing through the session windows %.1f s after"
                                            + " submit; catch-up %,.0f events/s = %.2f× the"
                                            + " uninterrupted run; savepoint %.1f s, %,d KB",
                                    restoreS,
                                    number(restore, "catchUpEventsPerSec"),
                                    catchUp,
                                    number(restore, "savepointMs") / 1000.0,
                                    (long) number(restore, "savepointBytes") / 1024),
                            "met",
                            restoreS <= 2 && catchUp >= 0.9 ? "yes" : "no"));
        } else {
            t.add(
                    Map.of(
                            "target",
                            "restore from savepoint ≤ 2 s plus catch-up at full speed",
                            "measured",
                            "not run",
                            "met",
                            "open"));
        }
        return t;
    }

    private void target(
            List<Map<String, Object>> t,
            String label,
            Map<String, Object> a,
            Map<String, Object> b,
            double min) {
        if (a == null || b == null) {
            t.add(Map.of("target", label, "measured", "not run", "met", "open"));
            return;
        }
        double ratio = perCpu(a) / perCpu(b);
        t.add(
                Map.of(
                        "target",
                        label,
                        "measured",
                        String.format(
                                Locale.ROOT,
                                "%.2f× (%,.0f vs %,.0f events per CPU-s)",
                                ratio,
                                perCpu(a),
                                perCpu(b)),
                        "met",
                        ratio >= min ? "yes" : "no"));
    }

    private Map<String, Object> run(String name) {
        return runs.stream()
                .filter(r -> name.equals(r.get("run")) && !r.containsKey("error"))
                .findFirst()
                .orElse(null);
    }

    private static double share(Object counts) {
        List<?> list = (List<?>) counts;
        double total = 0;
        double max = 0;
        for (Object c : list) {
            double v = ((Number) c).doubleValue();
            total += v;
            max = Math.max(max, v);
        }
        return total == 0 ? 0 : max / total;
    }

    private static String busiestShare(Object counts) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share(counts));
    }

    /**
     * The Flink runs' checkpoints (10 s interval): how many completed, and the longest duration and
     * largest sizes of a completed checkpoint, sampled from the job's gauges. Kafka Streams commits
     * instead (also every 10 s) and has no checkpoint to show.
     */
    private void appendCheckpoints(StringBuilder md) {
        md.append("\n## Checkpoints\n\n");
        md.append(
                "Flink runs, checkpoints every 10 s: completed checkpoints, and the longest duration and"
                        + " largest sizes (incremental and full) of a completed checkpoint, sampled from the"
                        + " job's gauges every 10 s and at its end.\n\n");
        md.append("| run | completed | longest ms | largest KB | largest full KB |\n");
        md.append("| --- | ---: | ---: | ---: | ---: |\n");
        for (Map<String, Object> run : runs) {
            if (run.get("checkpoints") instanceof Map<?, ?> c && !c.isEmpty()) {
                md.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %s | %s | %s |%n",
                                run.get("run"),
                                gauge(c, "numberOfCompletedCheckpoints", 1),
                                gauge(c, "lastCheckpointDuration", 1),
                                gauge(c, "lastCheckpointSize", 1024),
                                gauge(c, "lastCheckpointFullSize", 1024)));
            }
        }
    }

    private static String gauge(Map<?, ?> checkpoints, String name, long divisor) {
        return checkpoints.get(name) instanceof Number n
                ? String.format(Locale.ROOT, "%,d", n.longValue() / divisor)
                : "-";
    }

    private static String count(Map<String, Object> run, String field) {
        Object v = run.get(field);
        return v == null ? "-" : String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
    }

    static double rate(Map<String, Object> run) {
        return number(run, "records") / (number(run, "wallMs") / 1000.0);
    }

    static double perCpu(Map<String, Object> run) {
        return number(run, "records") / (number(run, "cpuMs") / 1000.0);
    }

    private static double number(Map<String, Object> run, String field) {
        Object v = run.get(field);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
