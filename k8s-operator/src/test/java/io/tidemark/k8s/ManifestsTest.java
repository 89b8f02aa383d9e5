package io.tidemark.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every manifest under {@code base/} and {@code overlays/}: valid against the CRDs of the Flink
 * Kubernetes Operator 1.10 with unknown fields as errors (the API server would prune them and the
 * operator fall back to defaults, e.g. a stateless upgrade for {@code upgradMode}), consistent with
 * {@code flink-conf/local/config.yaml}, and running the jars and main classes the job modules
 * build.
 */
class ManifestsTest {

    /** The CRDs as shipped in {@code flink-kubernetes-operator-api} (apiextensions.k8s.io/v1). */
    private static final List<String> CRDS =
            List.of(
                    "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml",
                    "META-INF/fabric8/flinksessionjobs.flink.apache.org-v1.yml",
                    "META-INF/fabric8/flinkstatesnapshots.flink.apache.org-v1.yml");

    private static final String JAR_DIR = "local:///opt/flink/usrlib/";
    private static final String JAAS_KEY = "kafka.sasl.jaas.config";
    private static final String JAAS_ENV = "KAFKA_JAAS";
    private static final String MAIN_CONTAINER = "flink-main-container";
    private static final String DRAIN_KEY = "kubernetes.operator.job.drain-on-savepoint-deletion";

    /**
     * Keys of flink-conf/local/config.yaml that every FlinkDeployment must repeat with equal
     * values.
     */
    private static final Pattern SHARED_FLINK_KEYS =
            Pattern.compile(
                    "taskmanager\\.numberOfTaskSlots|parallelism\\.default|state\\.backend\\.type"
                            + "|execution\\.checkpointing\\..*|restart-strategy\\..*|pipeline\\..*");

    /** Directory keys: per deployment on Kubernetes, so not compared with the local cluster. */
    private static final Map<String, String> DIRECTORY_KEYS =
            Map.of(
                    "execution.checkpointing.dir", "state.checkpoints.dir",
                    "execution.checkpointing.savepoint-dir", "state.savepoints.dir");

    private static final YAMLMapper YAML = yamlMapper();
    private static final Path MODULE = moduleDir();
    private static final Path ROOT = MODULE.getParent();

    // ---------------------------------------------------------------------------------------
    // Schema validation
    // ---------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyManifestParsesAndNamesItsKind() {
        List<Path> files = manifestFiles();
        assertThat(files).isNotEmpty();
        return files.stream().map(file -> dynamicTest(relative(file), () -> checkParses(file)));
    }

    private static void checkParses(Path file) {
        List<JsonNode> docs = readAll(file);
        assertThat(docs).as(relative(file)).isNotEmpty();
        for (JsonNode doc : docs) {
            assertThat(text(doc, "apiVersion")).as(relative(file)).isNotBlank();
            assertThat(text(doc, "kind")).as(relative(file)).isNotBlank();
            if (!isKustomization(doc)) {
                assertThat(text(doc.path("metadata"), "name"))
                        .as(relative(file) + " metadata.name")
                        .isNotBlank();
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFlinkResourceIsValidAgainstTheCrdSchema() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : manifestFiles()) {
            for (JsonNode doc : readAll(file)) {
                if (text(doc, "apiVersion").startsWith("flink.apache.org/")) {
                    tests.add(
                            dynamicTest(
                                    relative(file) + " " + text(doc.path("metadata"), "name"),
                                    () ->
                                            assertThat(Crds.validate(doc))
                                                    .as(relative(file))
                                                    .isEmpty()));
                }
            }
        }
        // The base's session cluster and one FlinkDeployment per job.
        assertThat(tests).hasSize(1 + jobs().size());
        return tests.stream();
    }

    @Test
    void upgradeModeTypoIsRejected() {
        ObjectNode deployment = flinkDeployment(jobs().get(0)).deepCopy();
        assertThat(Crds.validate(deployment)).isEmpty();

        ObjectNode job = (ObjectNode) deployment.path("spec").path("job");
        job.set("upgradMode", job.remove("upgradeMode"));

        assertThat(Crds.validate(deployment))
                .singleElement()
                .asString()
                .startsWith("$.spec.job: property 'upgradMode' is not defined in the schema");
    }

    @Test
    void unknownFieldsAreRejectedAtAnyDepth() {
        ObjectNode deployment = flinkDeployment(jobs().get(0)).deepCopy();
        ObjectNode container =
                (ObjectNode)
                        deployment
                                .path("spec")
                                .path("podTemplate")
                                .path("spec")
                                .path("containers")
                                .get(0);
        container.set("volumeMount", container.remove("volumeMounts"));
        ((ObjectNode) deployment.path("metadata")).put("nmae", "typo");

        assertThat(Crds.validate(deployment))
                .hasSize(2)
                .anySatisfy(m -> assertThat(m).startsWith("$.metadata: property 'nmae'"))
                .anySatisfy(
                        m ->
                                assertThat(m)
                                        .startsWith(
                                                "$.spec.podTemplate.spec.containers[0]:"
                                                        + " property 'volumeMount'"));
    }

    @Test
    void valuesOfTheWrongTypeOrOutsideTheEnumAreRejected() {
        ObjectNode deployment = flinkDeployment(jobs().get(0)).deepCopy();
        ObjectNode spec = (ObjectNode) deployment.path("spec");
        // No operator knows this version: the enum must reject it.
        spec.put("flinkVersion", "v1_99");
        // flinkConfiguration is a map of strings: an unquoted number is not one.
        ((ObjectNode) spec.path("flinkConfiguration")).put("parallelism.default", 2);
        ((ObjectNode) spec.path("job")).put("upgradeMode", "savepoints");

        assertThat(Crds.validate(deployment))
                .hasSize(3)
                .anySatisfy(m -> assertThat(m).contains("$.spec.flinkVersion"))
                .anySatisfy(m -> assertThat(m).contains("parallelism.default"))
                .anySatisfy(m -> assertThat(m).contains("$.spec.job.upgradeMode"));
    }

    // ---------------------------------------------------------------------------------------
    // Kustomize structure
    // ---------------------------------------------------------------------------------------

    @Test
    void kustomizationsListExistingResourcesAndEveryManifestIsListed() {
        for (Path file : manifestFiles()) {
            if (!isKustomizationFile(file)) {
                Path kustomization = file.resolveSibling("kustomization.yaml");
                assertThat(resources(kustomization))
                        .as(relative(file) + " must be listed in " + relative(kustomization))
                        .contains(file.getFileName().toString());
                continue;
            }
            for (String resource : resources(file)) {
                Path target = file.getParent().resolve(resource).normalize();
                assertThat(target.startsWith(MODULE))
                        .as(relative(file) + ": " + resource + " stays inside k8s-operator/")
                        .isTrue();
                if (Files.isDirectory(target)) {
                    assertThat(target.resolve("kustomization.yaml"))
                            .as(relative(file) + ": " + resource)
                            .isRegularFile();
                } else {
                    assertThat(target).as(relative(file) + ": " + resource).isRegularFile();
                }
            }
        }
    }

    @Test
    void everyJobModuleHasAnOverlayAndNothingElseDoes() throws IOException {
        try (Stream<Path> dirs = Files.list(MODULE.resolve("overlays"))) {
            assertThat(dirs.map(d -> d.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(jobs());
        }
        for (String job : jobs()) {
            List<String> resources = resources(overlay(job).resolve("kustomization.yaml"));
            // The shared volume only: the base's session cluster is not part of a job.
            assertThat(resources)
                    .as(job)
                    .contains("../../base/storage")
                    .doesNotContain("../../base");
        }
    }

    // ---------------------------------------------------------------------------------------
    // The overlays run what the job modules build
    // ---------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> overlaysRunTheJobModulesJarAndMainClass() {
        return jobs().stream().map(job -> dynamicTest(job, () -> checkOverlayRuns(job)));
    }

    private static void checkOverlayRuns(String job) {
        JsonNode spec = flinkDeployment(job).path("spec");
        JsonNode jobSpec = spec.path("job");

        String mainClass = "io.tidemark.jobs." + job + "." + capitalize(job) + "Job";
        assertThat(text(jobSpec, "entryClass")).isEqualTo(mainClass);
        Path source =
                ROOT.resolve("jobs/" + job + "/src/main/java")
                        .resolve(mainClass.replace('.', '/') + ".java");
        assertThat(source).isRegularFile();
        assertThat(read(source)).contains("public static void main(String[]");

        String pom = read(ROOT.resolve("jobs/" + job + "/pom.xml"));
        String artifactId = artifactId(pom);
        assertThat(artifactId).isEqualTo("tidemark-job-" + job);
        assertThat(pom)
                .as("the shaded jar's Main-Class")
                .contains("<mainClass>" + mainClass + "</mainClass>");
        assertThat(text(jobSpec, "jarURI"))
                .isEqualTo(JAR_DIR + artifactId + "-" + projectVersion() + "-job.jar");
        assertThat(text(spec, "image")).startsWith("tidemark-" + job + ":");

        assertThat(text(jobSpec, "upgradeMode")).isEqualTo("savepoint");
        assertThat(jobSpec.path("parallelism").isInt()).isTrue();
        assertThat(jobSpec.path("parallelism").asInt()).isEqualTo(2);
        assertThat(text(jobSpec, "state")).isEqualTo("running");
        assertThat(jobSpec.path("allowNonRestoredState").isBoolean()).isTrue();
        assertThat(jobSpec.path("allowNonRestoredState").asBoolean()).isFalse();
        assertThat(text(spec, "mode")).isEqualTo("native");
        assertThat(text(spec, "flinkVersion")).isEqualTo(flinkVersionOfTheBuild());
    }

    @TestFactory
    Stream<DynamicTest> jobConfigurationComesFromTheConfigMapAndTheSecret() {
        return jobs().stream().map(job -> dynamicTest(job, () -> checkJobConfiguration(job)));
    }

    private static void checkJobConfiguration(String job) throws IOException {
        JsonNode spec = flinkDeployment(job).path("spec");
        List<String> args = strings(spec.path("job").path("args"));
        assertThat(args).hasSize(2).first().isEqualTo("--config");
        Path configPath = Paths.get(args.get(1));
        assertThat(configPath.getFileName()).hasToString(job + ".yaml");

        // --config FILE → a volume mount of the main container → a ConfigMap of the overlay.
        JsonNode pod = spec.path("podTemplate").path("spec");
        JsonNode container = mainContainer(pod);
        String volume = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            if (Paths.get(text(mount, "mountPath")).equals(configPath.getParent())) {
                volume = text(mount, "name");
            }
        }
        assertThat(volume).as("a volume mounted at " + configPath.getParent()).isNotNull();
        String configMapName = null;
        for (JsonNode v : pod.path("volumes")) {
            if (text(v, "name").equals(volume)) {
                configMapName = text(v.path("configMap"), "name");
            }
        }
        assertThat(configMapName).as("volume " + volume + " is a ConfigMap").isNotBlank();
        JsonNode configMap = overlayDocument(job, "ConfigMap", configMapName);
        String yaml = text(configMap.path("data"), job + ".yaml");
        assertThat(yaml).as(configMapName + " data." + job + ".yaml").isNotBlank();

        Map<String, String> config = flatten(YAML.readTree(yaml));
        assertThat(config.get("kafka.bootstrap.servers")).isNotBlank();
        assertThat(config.get("job.name")).isEqualTo(job);
        // spec.job.parallelism is the one place that decides the parallelism.
        assertThat(config).doesNotContainKey("parallelism");

        // The JAAS config only ever comes from the Secret, through the environment.
        assertThat(config.get(JAAS_KEY)).isEqualTo("${env:" + JAAS_ENV + "}");
        JsonNode jaas = null;
        for (JsonNode env : container.path("env")) {
            if (text(env, "name").equals(JAAS_ENV)) {
                jaas = env;
            }
        }
        assertThat(jaas).as(JAAS_ENV + " in " + MAIN_CONTAINER).isNotNull();
        assertThat(text(jaas.path("valueFrom").path("secretKeyRef"), "name")).isNotBlank();
        assertThat(text(jaas.path("valueFrom").path("secretKeyRef"), "key")).isNotBlank();

        // Only keys the job declares: an unknown key would stop it at start.
        Set<String> declared = declaredConfigKeys(job);
        assertThat(config.keySet().stream().filter(k -> !k.startsWith("kafka.")))
                .as("keys of " + job + ".yaml that the job does not declare")
                .allMatch(k -> k.startsWith("flink.") || declared.contains(k), "declared");
    }

    // ---------------------------------------------------------------------------------------
    // Same Flink choices as the local cluster
    // ---------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> flinkConfigurationMatchesFlinkConf() throws IOException {
        Map<String, String> local = new LinkedHashMap<>();
        flatten(YAML.readTree(ROOT.resolve("flink-conf/local/config.yaml").toFile()))
                .forEach(
                        (key, value) -> {
                            if (SHARED_FLINK_KEYS.matcher(key).matches()
                                    && !DIRECTORY_KEYS.containsKey(key)) {
                                local.put(key, value);
                            }
                        });
        assertThat(local).containsKeys("state.backend.type", "execution.checkpointing.interval");

        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : manifestFiles()) {
            for (JsonNode doc : readAll(file)) {
                if (!"FlinkDeployment".equals(text(doc, "kind"))) {
                    continue;
                }
                tests.add(
                        dynamicTest(
                                relative(file),
                                () -> {
                                    Map<String, String> conf =
                                            flatten(doc.path("spec").path("flinkConfiguration"));
                                    assertThat(conf).containsAllEntriesOf(local);
                                    DIRECTORY_KEYS.forEach(
                                            (newKey, oldKey) -> {
                                                assertThat(conf.get(newKey))
                                                        .as(newKey)
                                                        .startsWith("file:///flink-data/");
                                                assertThat(conf.get(oldKey))
                                                        .as(oldKey + " = " + newKey)
                                                        .isEqualTo(conf.get(newKey));
                                            });
                                    assertThat(conf.get(DRAIN_KEY))
                                            .as("never drain on stop-with-savepoint")
                                            .isIn(null, "false");
                                }));
            }
        }
        return tests.stream();
    }

    @Test
    void everyJobKeepsItsStateInItsOwnDirectories() {
        for (String job : jobs()) {
            Map<String, String> conf =
                    flatten(flinkDeployment(job).path("spec").path("flinkConfiguration"));
            String prefix = "file:///flink-data/" + job + "/";
            assertThat(conf.get("execution.checkpointing.dir")).startsWith(prefix);
            assertThat(conf.get("execution.checkpointing.savepoint-dir")).startsWith(prefix);
            assertThat(conf.get("high-availability.type")).isEqualTo("kubernetes");
            assertThat(conf.get("high-availability.storageDir")).startsWith(prefix);
            // upgradeMode lives in spec.job, never in flinkConfiguration where nothing reads it.
            assertThat(conf.keySet()).noneMatch(k -> k.toLowerCase().contains("upgrade"));
        }
    }

    /**
     * The operator picks config keys, REST calls and the name of the configuration file it writes
     * from {@code flinkVersion}; for anything below {@code v2_0} it writes {@code flink-conf.yaml},
     * which Flink 2.x does not read. So every FlinkDeployment names the Flink of the build.
     */
    @Test
    void flinkVersionOfEveryDeploymentIsTheFlinkVersionOfTheBuild() {
        // metadata.name → spec.flinkVersion, so that a failure names the deployment, not its JSON.
        Map<String, String> versions = new TreeMap<>();
        manifestFiles().stream()
                .flatMap(p -> readAll(p).stream())
                .filter(d -> "FlinkDeployment".equals(text(d, "kind")))
                .forEach(
                        d ->
                                versions.put(
                                        text(d.path("metadata"), "name"),
                                        text(d.path("spec"), "flinkVersion")));
        assertThat(versions).hasSize(1 + jobs().size());
        String expected = flinkVersionOfTheBuild();
        assertThat(versions)
                .allSatisfy(
                        (name, version) ->
                                assertThat(version)
                                        .as("flinkVersion of %s", name)
                                        .isEqualTo(expected));
    }

    /** {@code <flink.version>} 2.2.0 in the root pom → {@code v2_2}. */
    private static String flinkVersionOfTheBuild() {
        String version = match(read(ROOT.resolve("pom.xml")), "<flink.version>([^<]+)<");
        String[] parts = version.split("\\.");
        return "v" + parts[0] + "_" + parts[1];
    }

    @Test
    void imageIsTheFlinkVersionOfTheBuild() {
        String flinkVersion = match(read(ROOT.resolve("pom.xml")), "<flink.version>([^<]+)<");
        String image = "flink:" + flinkVersion + "-java17";
        assertThat(read(MODULE.resolve("Dockerfile"))).contains("\nFROM " + image + "\n");
        JsonNode session = readAll(MODULE.resolve("base/flink-session.yaml")).get(0);
        assertThat(text(session.path("spec"), "image")).isEqualTo(image);
    }

    // ---------------------------------------------------------------------------------------
    // CRD schemas
    // ---------------------------------------------------------------------------------------

    /** The operator's CRD schemas, made strict the way the API server prunes. */
    static final class Crds {

        private static final Map<String, JsonSchema> SCHEMAS = load();

        /** Schema errors of one Flink resource; empty when the API server would keep it whole. */
        static List<String> validate(JsonNode resource) {
            String key = text(resource, "apiVersion") + "/" + text(resource, "kind");
            JsonSchema schema = SCHEMAS.get(key);
            assertThat(schema).as("a CRD for " + key + " in " + SCHEMAS.keySet()).isNotNull();
            Set<ValidationMessage> errors = schema.validate(resource);
            return errors.stream()
                    .map(ValidationMessage::getMessage)
                    .sorted()
                    .collect(Collectors.toList());
        }

        private static Map<String, JsonSchema> load() {
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
            Map<String, JsonSchema> schemas = new HashMap<>();
            for (String resource : CRDS) {
                JsonNode crd;
                try (InputStream in =
                        ManifestsTest.class.getClassLoader().getResourceAsStream(resource)) {
                    assertThat(in).as(resource + " on the test classpath").isNotNull();
                    crd = YAML.readTree(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                JsonNode spec = crd.path("spec");
                for (JsonNode version : spec.path("versions")) {
                    if (!version.path("served").asBoolean()) {
                        continue;
                    }
                    ObjectNode schema = version.path("schema").path("openAPIV3Schema").deepCopy();
                    addFlinkVersions(schema);
                    addObjectMeta(schema);
                    strict(schema);
                    schemas.put(
                            text(spec, "group")
                                    + "/"
                                    + text(version, "name")
                                    + "/"
                                    + text(spec.path("names"), "kind"),
                            factory.getSchema(schema));
                }
            }
            assertThat(schemas).containsKey("flink.apache.org/v1beta1/FlinkDeployment");
            return schemas;
        }

        /**
         * The Flink versions the 1.10 CRD does not know yet and operator 1.13's CRD adds (its
         * {@code helm/flink-kubernetes-operator/crds/}): 1.10 is the newest operator API artifact
         * on Maven Central, and its {@code flinkVersion} enum stops at {@code v1_20}. Everything
         * else is validated against 1.10 as shipped.
         */
        private static void addFlinkVersions(ObjectNode schema) {
            JsonNode flinkVersion = schema.path("properties").path("spec").path("properties");
            if (flinkVersion.path("flinkVersion").path("enum") instanceof ArrayNode values) {
                for (String version : List.of("v2_0", "v2_1", "v2_2")) {
                    values.add(version);
                }
            }
        }

        /**
         * apiVersion, kind and metadata are implicit in a CRD's schema; metadata here is the part
         * of ObjectMeta that a manifest may set.
         */
        private static void addObjectMeta(ObjectNode schema) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            ObjectNode properties = (ObjectNode) schema.get("properties");
            properties.set("apiVersion", f.objectNode().put("type", "string"));
            properties.set("kind", f.objectNode().put("type", "string"));
            ObjectNode stringMap =
                    f.objectNode()
                            .put("type", "object")
                            .set("additionalProperties", f.objectNode().put("type", "string"));
            ObjectNode metaProperties = f.objectNode();
            metaProperties.set("name", f.objectNode().put("type", "string"));
            metaProperties.set("namespace", f.objectNode().put("type", "string"));
            metaProperties.set("labels", stringMap.deepCopy());
            metaProperties.set("annotations", stringMap.deepCopy());
            ObjectNode metadata = f.objectNode().put("type", "object");
            metadata.set("properties", metaProperties);
            properties.set("metadata", metadata);
        }

        /**
         * Every object schema that neither lists additionalProperties nor preserves unknown fields
         * gets additionalProperties: false (the API server would prune what it does not know); the
         * x-kubernetes-* keywords, which a JSON-schema validator does not know, are dropped once
         * applied.
         */
        private static void strict(JsonNode node) {
            if (!(node instanceof ObjectNode schema)) {
                return;
            }
            boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
            List<String> extensions = new ArrayList<>();
            schema.fieldNames()
                    .forEachRemaining(
                            name -> {
                                if (name.startsWith("x-kubernetes-")) {
                                    extensions.add(name);
                                }
                            });
            schema.remove(extensions);
            boolean isObject =
                    schema.has("properties") || "object".equals(schema.path("type").asText());
            if (isObject && !preserve && !schema.has("additionalProperties")) {
                schema.put("additionalProperties", false);
            }
            for (JsonNode property : schema.path("properties")) {
                strict(property);
            }
            strict(schema.get("additionalProperties"));
            strict(schema.get("items"));
            strict(schema.get("not"));
            for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
                for (JsonNode branch : schema.path(combinator)) {
                    strict(branch);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------

    private static YAMLMapper yamlMapper() {
        YAMLMapper mapper = new YAMLMapper();
        // A key written twice is a mistake, not "last one wins".
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper;
    }

    /** The module directory, whether the tests run from it (Maven) or from the repository root. */
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

    private static List<Path> manifestFiles() {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("base", "overlays")) {
            try (Stream<Path> walk = Files.walk(MODULE.resolve(dir))) {
                walk.filter(Files::isRegularFile)
                        .filter(
                                p ->
                                        p.toString().endsWith(".yaml")
                                                || p.toString().endsWith(".yml"))
                        .sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static List<JsonNode> readAll(Path file) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(relative(file), e);
        }
        return docs;
    }

    private static List<String> jobs() {
        Matcher m =
                Pattern.compile("<module>([^<]+)</module>")
                        .matcher(read(ROOT.resolve("jobs/pom.xml")));
        List<String> jobs = new ArrayList<>();
        while (m.find()) {
            jobs.add(m.group(1).trim());
        }
        assertThat(jobs).as("job modules in jobs/pom.xml").isNotEmpty();
        return jobs;
    }

    private static Path overlay(String job) {
        return MODULE.resolve("overlays").resolve(job);
    }

    private static ObjectNode flinkDeployment(String job) {
        List<JsonNode> found = overlayDocuments(job, "FlinkDeployment");
        assertThat(found).as("FlinkDeployments in overlays/" + job).hasSize(1);
        return (ObjectNode) found.get(0);
    }

    private static JsonNode overlayDocument(String job, String kind, String name) {
        List<JsonNode> found =
                overlayDocuments(job, kind).stream()
                        .filter(d -> text(d.path("metadata"), "name").equals(name))
                        .collect(Collectors.toList());
        assertThat(found).as(kind + " " + name + " in overlays/" + job).hasSize(1);
        return found.get(0);
    }

    private static List<JsonNode> overlayDocuments(String job, String kind) {
        Path dir = overlay(job);
        return manifestFiles().stream()
                .filter(p -> p.getParent().equals(dir))
                .flatMap(p -> readAll(p).stream())
                .filter(d -> kind.equals(text(d, "kind")))
                .collect(Collectors.toList());
    }

    private static JsonNode mainContainer(JsonNode podSpec) {
        for (JsonNode c : podSpec.path("containers")) {
            if (MAIN_CONTAINER.equals(text(c, "name"))) {
                return c;
            }
        }
        throw new AssertionError("no " + MAIN_CONTAINER + " in the pod template");
    }

    private static boolean isKustomizationFile(Path file) {
        return file.getFileName().toString().equals("kustomization.yaml");
    }

    private static boolean isKustomization(JsonNode doc) {
        return "Kustomization".equals(text(doc, "kind"));
    }

    private static List<String> resources(Path kustomization) {
        assertThat(kustomization).isRegularFile();
        return strings(readAll(kustomization).get(0).path("resources"));
    }

    /**
     * Keys declared with ConfigOptions.key("...") in the sources the job is built from: its module
     * and the common/ libraries its pom depends on (the runtime's keys, the join stage's topics).
     */
    private static Set<String> declaredConfigKeys(String job) throws IOException {
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
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = key.matcher(Files.readString(file));
                    while (m.find()) {
                        keys.add(m.group(1));
                    }
                }
            }
        }
        return keys;
    }

    /** Nested YAML as flat dotted keys, the way Flink and Tidemark's ConfigLoader read it. */
    private static Map<String, String> flatten(JsonNode tree) {
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
        } else if (!node.isMissingNode()) {
            out.put(prefix.substring(0, prefix.length() - 1), node.asText());
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array instanceof ArrayNode) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value instanceof TextNode ? value.asText() : "";
    }

    private static String projectVersion() {
        return match(
                read(ROOT.resolve("pom.xml")),
                "<artifactId>tidemark-parent</artifactId>\\s*<version>([^<]+)</version>");
    }

    private static String artifactId(String pom) {
        return match(pom, "</parent>\\s*<artifactId>([^<]+)</artifactId>");
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1).trim();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String relative(Path file) {
        return ROOT.relativize(file).toString();
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
