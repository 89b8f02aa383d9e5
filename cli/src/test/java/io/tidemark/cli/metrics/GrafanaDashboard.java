package io.tidemark.cli.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL of {@code flink-conf/grafana/tidemark-dashboard.json}: every panel target's {@code
 * expr} and every template variable's query, with the metric names and label names each refers to.
 */
record GrafanaDashboard(JsonNode json, List<Query> queries) {

    /** The dashboard file, relative to the cli module (the tests' working directory). */
    static final Path FILE = Path.of("../flink-conf/grafana/tidemark-dashboard.json");

    /**
     * One PromQL expression and where it is.
     *
     * @param where panel title and refId, or the variable's name
     */
    record Query(String where, String expr, String legend) {

        private static final Pattern METRIC = Pattern.compile("\\b(flink_[a-zA-Z0-9_:]+)");
        private static final Pattern BY = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
        private static final Pattern SELECTOR = Pattern.compile("\\{([^}]*)\\}");
        private static final Pattern MATCHER =
                Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
        private static final Pattern LABEL_VALUES =
                Pattern.compile("label_values\\([^,]+,\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");
        private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

        /** Metric names the expression reads. */
        Set<String> metrics() {
            return all(METRIC, expr);
        }

        /** Labels the expression groups by or matches on ({@code by (…)}, {@code {l=~…}}). */
        Set<String> labels() {
            Set<String> labels = new TreeSet<>();
            Matcher by = BY.matcher(expr);
            while (by.find()) {
                for (String label : by.group(1).split(",")) {
                    if (!label.isBlank()) {
                        labels.add(label.strip());
                    }
                }
            }
            // Braces of a selector, not of a {{legend}} or a range [..]: PromQL has only selectors.
            Matcher selector = SELECTOR.matcher(expr);
            while (selector.find()) {
                labels.addAll(all(MATCHER, selector.group(1)));
            }
            labels.addAll(all(LABEL_VALUES, expr));
            return labels;
        }

        /** Labels the legend shows ({@code {{job_name}}}). */
        Set<String> legendLabels() {
            return legend == null ? Set.of() : all(LEGEND_LABEL, legend);
        }

        /** Labels the result keeps: those of the outermost {@code by (…)}, if any. */
        Set<String> groupedBy() {
            Matcher by = BY.matcher(expr);
            Set<String> labels = new TreeSet<>();
            if (by.find()) {
                for (String label : by.group(1).split(",")) {
                    labels.add(label.strip());
                }
            }
            return labels;
        }

        private static Set<String> all(Pattern pattern, String text) {
            Set<String> found = new LinkedHashSet<>();
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                found.add(m.group(1));
            }
            return found;
        }
    }

    static GrafanaDashboard read() throws IOException {
        return of(new ObjectMapper().readTree(FILE.toFile()));
    }

    static GrafanaDashboard of(JsonNode json) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : json.path("panels")) {
            collect(panel, queries);
        }
        for (JsonNode variable : json.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String expr = query.isObject() ? query.path("query").asText() : query.asText();
            if ("query".equals(variable.path("type").asText())) {
                queries.add(new Query("variable $" + variable.path("name").asText(), expr, null));
            }
        }
        return new GrafanaDashboard(json, List.copyOf(queries));
    }

    private static void collect(JsonNode panel, List<Query> queries) {
        for (JsonNode target : panel.path("targets")) {
            queries.add(
                    new Query(
                            panel.path("title").asText() + " / " + target.path("refId").asText(),
                            target.path("expr").asText(),
                            target.path("legendFormat").asText(null)));
        }
        for (JsonNode nested : panel.path("panels")) {
            collect(nested, queries);
        }
    }

    /** Every metric name the dashboard reads, sorted. */
    Set<String> metrics() {
        Set<String> metrics = new TreeSet<>();
        queries.forEach(q -> metrics.addAll(q.metrics()));
        return metrics;
    }

    /** The panels that draw data (rows excluded), nested ones included. */
    List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : json.path("panels")) {
            if (!"row".equals(panel.path("type").asText())) {
                panels.add(panel);
            }
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }
}
