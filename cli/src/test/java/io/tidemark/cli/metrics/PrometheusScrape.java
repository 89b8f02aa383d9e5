package io.tidemark.cli.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a Prometheus text endpoint (what Flink's PrometheusReporter serves), parsed. */
record PrometheusScrape(List<Sample> samples) {

    /** One line {@code name{label="value",…} value}. */
    record Sample(String name, Map<String, String> labels, double value) {
        String label(String key) {
            return labels.get(key);
        }
    }

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Pattern LINE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+\\d+)?$");
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** GETs {@code http://localhost:<port>/metrics} and parses it. */
    static PrometheusScrape of(int port) throws IOException, InterruptedException {
        return parse(fetch(port));
    }

    /** The text {@code http://localhost:<port>/metrics} answers. */
    static String fetch(int port) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("scrape answered " + response.statusCode());
        }
        return response.body();
    }

    static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, parseValue(m.group(3))));
        }
        return new PrometheusScrape(List.copyOf(samples));
    }

    private static double parseValue(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    /** Every metric name in the scrape, sorted. */
    Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The samples of metric {@code name}. */
    List<Sample> of(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The samples of metric {@code name} that {@code filter} accepts. */
    List<Sample> of(String name, Predicate<Sample> filter) {
        return of(name).stream().filter(filter).toList();
    }

    /** The sum of metric {@code name} over the samples of job {@code jobName} (its label value). */
    double sum(String name, String jobName) {
        return of(name, s -> jobName.equals(s.label("job_name"))).stream()
                .mapToDouble(Sample::value)
                .sum();
    }

    /** The largest value of metric {@code name} for job {@code jobName}; NaN when it has none. */
    double max(String name, String jobName) {
        return of(name, s -> jobName.equals(s.label("job_name"))).stream()
                .mapToDouble(Sample::value)
                .max()
                .orElse(Double.NaN);
    }

    /** The label names metric {@code name} carries. */
    Set<String> labelNames(String name) {
        Set<String> labels = new TreeSet<>();
        of(name).forEach(s -> labels.addAll(s.labels().keySet()));
        return labels;
    }
}
