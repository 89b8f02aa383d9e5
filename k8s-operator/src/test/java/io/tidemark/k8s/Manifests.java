package io.tidemark.k8s;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The module's files, the build's facts, and YAML helpers shared by the tests. */
final class Manifests {

    static final YAMLMapper YAML = yamlMapper();

    /** k8s-operator/, whether the tests run from it (Maven) or from the repository root. */
    static final Path MODULE = moduleDir();

    static final Path ROOT = MODULE.getParent();

    /** The directories that hold kustomizations. */
    static final List<String> LAYERS = List.of("base", "components", "overlays", "backfill");

    static final String MAIN_CONTAINER = "flink-main-container";

    private Manifests() {}

    // ---------------------------------------------------------------------------------------
    // Facts of the build, passed by the pom (surefire systemPropertyVariables)
    // ---------------------------------------------------------------------------------------

    /** {@code ${project.version}}: the tag of every image. */
    static String projectVersion() {
        return buildProperty("tidemark.project.version");
    }

    /** {@code ${flink.version}}, e.g. 2.2.0. */
    static String flinkVersion() {
        return buildProperty("tidemark.flink.version");
    }

    /** 2.2.0 → {@code v2_2}, the FlinkDeployment's flinkVersion. */
    static String flinkVersionEnum() {
        String[] parts = flinkVersion().split("\\.");
        return "v" + parts[0] + "_" + parts[1];
    }

    static String buildProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.contains("${")) {
            throw new IllegalStateException(
                    "System property "
                            + name
                            + " is not set: run the tests through Maven (./mvnw -pl k8s-operator"
                            + " verify), whose surefire configuration passes it from the pom");
        }
        return value;
    }

    // ---------------------------------------------------------------------------------------
    // The project
    // ---------------------------------------------------------------------------------------

    /** The job modules of jobs/pom.xml: sessionization, enrichment, revenue. */
    static List<String> jobs() {
        Matcher m =
                Pattern.compile("<module>([^<]+)</module>")
                        .matcher(read(ROOT.resolve("jobs/pom.xml")));
        List<String> jobs = new ArrayList<>();
        while (m.find()) {
            jobs.add(m.group(1).trim());
        }
        if (jobs.isEmpty()) {
            throw new IllegalStateException("no job modules in jobs/pom.xml");
        }
        return jobs;
    }

    /**
     * Keys declared with ConfigOptions.key("...") in the sources the job is built from: its module
     * and the common/ libraries its pom depends on (the runtime's keys, the join stage's topics).
     */
    static Set<String> declaredConfigKeys(String job) {
        List<Path> sources = new ArrayList<>();
        sources.add(ROOT.resolve("jobs/" + job + "/src/main/java"));
        Matcher library =
                Pattern.compile("<artifactId>tidemark-([a-z-]+)</artifactId>")
                        .matcher(read(ROOT.resolve("jobs/" + job + "/pom.xml")));
        while (library.find()) {
            Path dir = ROOT.resolve("common/" + library.group(1) + "/src/main/java");
            if (Files.isDirectory(dir)) {
                sources.add(dir);
            }
        }
        Pattern key = Pattern.compile("ConfigOptions\\s*\\.key\\(\\s*\"([^\"]+)\"");
        Set<String> keys = new TreeSet<>();
        for (Path dir : sources) {
            for (Path file : walk(dir, ".java")) {
                Matcher m = key.matcher(read(file));
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        return keys;
    }

    /**
     * The options a job main accepts: the quoted {@code "--name"} literals of JobArgs (--config,
     * --set and the backfill shorthands).
     */
    static Set<String> jobArgOptions() {
        Path source =
                ROOT.resolve(
                        "common/runtime/src/main/java/io/tidemark/common/runtime/config/JobArgs.java");
        Matcher m = Pattern.compile("\"(--[a-z][a-z-]*)\"").matcher(read(source));
        Set<String> options = new TreeSet<>();
        while (m.find()) {
            options.add(m.group(1));
        }
        return options;
    }

    // ---------------------------------------------------------------------------------------
    // Files
    // ---------------------------------------------------------------------------------------

    /** Every YAML file of the layers, sorted. */
    static List<Path> manifestFiles() {
        List<Path> files = new ArrayList<>();
        for (String layer : LAYERS) {
            files.addAll(walk(MODULE.resolve(layer), ".yaml"));
            files.addAll(walk(MODULE.resolve(layer), ".yml"));
        }
        files.sort(null);
        return files;
    }

    static List<Path> walk(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> readAll(Path file) {
        try {
            return parseAll(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(relative(file), e);
        }
    }

    /** Every non-empty document of a YAML stream. */
    static List<JsonNode> parseAll(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        // Document by document (a MappingIterator would unwrap a top-level list, the form of a
        // JSON 6902 patch file, into its elements).
        try (JsonParser parser = YAML.getFactory().createParser(yaml)) {
            while (parser.nextToken() != null) {
                JsonNode doc = YAML.readTree(parser);
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String relative(Path file) {
        return file.startsWith(ROOT) ? ROOT.relativize(file).toString() : file.toString();
    }

    // ---------------------------------------------------------------------------------------
    // JSON helpers
    // ---------------------------------------------------------------------------------------

    static boolean isKind(JsonNode doc, String kind) {
        return kind.equals(text(doc, "kind"));
    }

    static String name(JsonNode doc) {
        return text(doc.path("metadata"), "name");
    }

    /** The job a Tidemark resource belongs to: its label app.kubernetes.io/name, tidemark-JOB. */
    static String jobOf(JsonNode doc) {
        String label = text(doc.path("metadata").path("labels"), "app.kubernetes.io/name");
        return label.startsWith("tidemark-") ? label.substring("tidemark-".length()) : "";
    }

    static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> isKind(d, kind)).toList();
    }

    static JsonNode find(List<JsonNode> docs, String kind, String name) {
        for (JsonNode doc : docs) {
            if (isKind(doc, kind) && name.equals(name(doc))) {
                return doc;
            }
        }
        return null;
    }

    /** The main container of a FlinkDeployment's pod template, or a missing node. */
    static JsonNode mainContainer(JsonNode deployment) {
        for (JsonNode c :
                deployment.path("spec").path("podTemplate").path("spec").path("containers")) {
            if (MAIN_CONTAINER.equals(text(c, "name"))) {
                return c;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    static Map<String, String> flinkConfiguration(JsonNode deployment) {
        return flatten(deployment.path("spec").path("flinkConfiguration"));
    }

    /** Nested YAML as flat dotted keys, the way Flink and Tidemark's ConfigLoader read it. */
    static Map<String, String> flatten(JsonNode tree) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", tree, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(prefix + field.getKey() + ".", field.getValue(), out);
            }
        } else if (!node.isMissingNode() && !prefix.isEmpty()) {
            out.put(prefix.substring(0, prefix.length() - 1), node.asText());
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array instanceof ArrayNode) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    /** A string field, or "" when it is missing or not a string. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value instanceof TextNode ? value.asText() : "";
    }

    static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no match for " + regex);
        }
        return m.group(1).trim();
    }

    static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static YAMLMapper yamlMapper() {
        YAMLMapper mapper = new YAMLMapper();
        // A key written twice is a mistake, not "last one wins".
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper;
    }

    private static Path moduleDir() {
        Path cwd = Paths.get("").toAbsolutePath();
        for (Path candidate : List.of(cwd, cwd.resolve("k8s-operator"))) {
            if (Files.isDirectory(candidate.resolve("base"))
                    && Files.isDirectory(candidate.resolve("overlays"))) {
                return candidate.normalize();
            }
        }
        throw new IllegalStateException("k8s-operator/ not found from " + cwd);
    }
}
