package io.tidemark.k8s;

import static io.tidemark.k8s.Manifests.MODULE;
import static io.tidemark.k8s.Manifests.ROOT;
import static io.tidemark.k8s.Manifests.find;
import static io.tidemark.k8s.Manifests.flinkConfiguration;
import static io.tidemark.k8s.Manifests.jobs;
import static io.tidemark.k8s.Manifests.mainContainer;
import static io.tidemark.k8s.Manifests.ofKind;
import static io.tidemark.k8s.Manifests.read;
import static io.tidemark.k8s.Manifests.readAll;
import static io.tidemark.k8s.Manifests.relative;
import static io.tidemark.k8s.Manifests.strings;
import static io.tidemark.k8s.Manifests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * What k8s-operator/ deploys, checked the way kubectl applies it: every overlay and the backfill
 * rendered by the real kustomize (Kustomize), every Flink resource of the renderings valid against
 * the operator's CRD schema with unknown fields as errors (Crds), and the project's rules (Rules)
 * on every rendering. Each rule is also shown to fail on a broken copy, both of a rendered document
 * and of the manifests themselves.
 */
class ManifestsTest {

    /**
     * One kustomization as kubectl would apply it, what exists in the cluster with it, and the
     * environment it runs in (flink-conf/ENV/config.yaml has that environment's Flink choices).
     */
    record Rendering(
            String name, List<JsonNode> docs, List<JsonNode> context, String environment) {}

    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(MODULE.resolve("overlays"))) {
            return dirs.filter(Files::isDirectory)
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Rendering overlay(String name) {
        List<JsonNode> docs = Kustomize.build(MODULE.resolve("overlays").resolve(name));
        return new Rendering("overlays/" + name, docs, docs, name);
    }

    /** The environment backfill/ runs in: the overlay of its components/ENV entry. */
    static String backfillEnvironment() {
        JsonNode kustomization = readAll(MODULE.resolve("backfill/kustomization.yaml")).get(0);
        List<String> envs = new ArrayList<>();
        for (String component : strings(kustomization.path("components"))) {
            String env = Path.of(component).getFileName().toString();
            if (overlays().contains(env)) {
                envs.add(env);
            }
        }
        assertThat(envs).as("backfill/ names one environment among its components").hasSize(1);
        return envs.get(0);
    }

    static Rendering backfill() {
        List<JsonNode> docs = Kustomize.build(MODULE.resolve("backfill"));
        List<JsonNode> context = new ArrayList<>(docs);
        context.addAll(overlay(backfillEnvironment()).docs());
        return new Rendering("backfill", docs, context, backfillEnvironment());
    }

    /** Everything that is applied: each overlay and the backfill. */
    static List<Rendering> renderings() {
        List<Rendering> renderings = new ArrayList<>();
        overlays().forEach(o -> renderings.add(overlay(o)));
        renderings.add(backfill());
        return renderings;
    }

    static List<JsonNode> copy(List<JsonNode> docs) {
        return docs.stream().map(d -> (JsonNode) d.deepCopy()).toList();
    }

    static ObjectNode deployment(List<JsonNode> docs, String name) {
        JsonNode fd = find(docs, "FlinkDeployment", name);
        assertThat(fd).as("FlinkDeployment " + name).isNotNull();
        return (ObjectNode) fd;
    }

    // ---------------------------------------------------------------------------------------
    // Layout
    // ---------------------------------------------------------------------------------------

    @Test
    void baseHasOneDirectoryPerJobModuleAndTheEnvironmentsAreLocalAndProduction()
            throws IOException {
        try (Stream<Path> dirs = Files.list(MODULE.resolve("base"))) {
            assertThat(dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(jobs());
        }
        JsonNode base = readAll(MODULE.resolve("base/kustomization.yaml")).get(0);
        assertThat(strings(base.path("resources"))).containsExactlyInAnyOrderElementsOf(jobs());
        assertThat(overlays()).containsExactly("local", "production");
        for (String env : overlays()) {
            JsonNode overlay =
                    readAll(MODULE.resolve("overlays").resolve(env).resolve("kustomization.yaml"))
                            .get(0);
            assertThat(strings(overlay.path("resources"))).as(env).contains("../../base");
            assertThat(strings(overlay.path("components")))
                    .as(env + " adapts the jobs with its component, which backfill/ can reuse")
                    .containsExactly("../../components/" + env);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyManifestParses() {
        List<Path> files = Manifests.manifestFiles();
        assertThat(files).isNotEmpty();
        return files.stream().map(file -> dynamicTest(relative(file), () -> checkParses(file)));
    }

    private static void checkParses(Path file) {
        List<JsonNode> docs = readAll(file);
        assertThat(docs).as(relative(file)).isNotEmpty();
        String fileName = file.getFileName().toString();
        for (JsonNode doc : docs) {
            if (doc.isArray()) {
                // A JSON 6902 patch: operations on paths.
                assertThat(doc).as(relative(file)).isNotEmpty();
                doc.forEach(
                        op -> {
                            assertThat(text(op, "op")).as(relative(file)).isNotBlank();
                            assertThat(text(op, "path")).as(relative(file)).startsWith("/spec/");
                        });
            } else if (fileName.equals("kustomizeconfig.yaml")) {
                assertThat(doc.path("images").isArray()).as(relative(file)).isTrue();
            } else {
                assertThat(text(doc, "apiVersion")).as(relative(file)).isNotBlank();
                assertThat(text(doc, "kind")).as(relative(file)).isNotBlank();
                if (!fileName.equals("kustomization.yaml")) {
                    assertThat(Manifests.name(doc))
                            .as(relative(file) + " metadata.name")
                            .isNotBlank();
                }
            }
        }
    }

    /**
     * Every reference of a kustomization exists (inside k8s-operator/), and every file is used by
     * the kustomization of its directory: nothing is written and then silently not applied.
     */
    @Test
    void kustomizationsReferenceExistingFilesAndEveryFileIsUsed() {
        for (Path file : Manifests.manifestFiles()) {
            Path kustomizationFile = file.resolveSibling("kustomization.yaml");
            assertThat(kustomizationFile)
                    .as("kustomization.yaml next to " + relative(file))
                    .isRegularFile();
            if (file.equals(kustomizationFile)) {
                checkReferences(file);
            } else {
                assertThat(references(kustomizationFile))
                        .as(relative(file) + " must be used by " + relative(kustomizationFile))
                        .contains(file.getFileName().toString());
            }
        }
    }

    private static void checkReferences(Path kustomizationFile) {
        JsonNode k = readAll(kustomizationFile).get(0);
        String where = relative(kustomizationFile);
        assertThat(text(k, "kind")).as(where).isIn("Kustomization", "Component");
        for (String resource : strings(k.path("resources"))) {
            Path target = inside(kustomizationFile, resource);
            if (Files.isDirectory(target)) {
                assertThat(kindOf(target)).as(where + ": " + resource).isEqualTo("Kustomization");
            } else {
                assertThat(target).as(where + ": " + resource).isRegularFile();
            }
        }
        for (String component : strings(k.path("components"))) {
            assertThat(kindOf(inside(kustomizationFile, component)))
                    .as(where + ": " + component)
                    .isEqualTo("Component");
        }
        for (String file : references(kustomizationFile)) {
            assertThat(inside(kustomizationFile, file)).as(where + ": " + file).exists();
        }
    }

    private static Path inside(Path kustomizationFile, String reference) {
        Path target = kustomizationFile.getParent().resolve(reference).normalize();
        assertThat(target.startsWith(MODULE))
                .as(relative(kustomizationFile) + ": " + reference + " stays inside k8s-operator/")
                .isTrue();
        return target;
    }

    private static String kindOf(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        assertThat(file).isRegularFile();
        return text(readAll(file).get(0), "kind");
    }

    /** The files a kustomization uses: resources, patch files, transformer configurations. */
    private static List<String> references(Path kustomizationFile) {
        JsonNode k = readAll(kustomizationFile).get(0);
        List<String> files = new ArrayList<>(strings(k.path("resources")));
        files.addAll(strings(k.path("configurations")));
        for (JsonNode patch : k.path("patches")) {
            if (!text(patch, "path").isEmpty()) {
                files.add(text(patch, "path"));
            }
        }
        return files;
    }

    // ---------------------------------------------------------------------------------------
    // Rendering
    // ---------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyOverlayRendersEveryJob() {
        return overlays().stream().map(env -> dynamicTest(env, () -> checkRendersEveryJob(env)));
    }

    private static void checkRendersEveryJob(String env) {
        List<JsonNode> docs = overlay(env).docs();
        Set<String> deployments = new TreeSet<>();
        ofKind(docs, "FlinkDeployment").forEach(d -> deployments.add(Manifests.name(d)));
        assertThat(deployments)
                .containsExactlyInAnyOrderElementsOf(
                        jobs().stream().map(j -> "tidemark-" + j).toList());
        for (String job : jobs()) {
            assertThat(find(docs, "ConfigMap", "tidemark-" + job + "-config"))
                    .as(env + ": " + job + "'s config file")
                    .isNotNull();
        }
        for (JsonNode doc : docs) {
            assertThat(text(doc.path("metadata").path("labels"), "app.kubernetes.io/part-of"))
                    .as(Rules.id(doc))
                    .isEqualTo("tidemark");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFlinkResourceIsValidAgainstTheCrdSchema() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Rendering r : renderings()) {
            for (JsonNode doc : r.docs()) {
                if (Crds.isFlinkResource(doc)) {
                    tests.add(
                            dynamicTest(
                                    r.name() + " " + Manifests.name(doc),
                                    () -> assertThat(Crds.validate(doc)).isEmpty()));
                }
            }
        }
        // The base's own files too, as written.
        for (Path file : Manifests.walk(MODULE.resolve("base"), ".yaml")) {
            for (JsonNode doc : readAll(file)) {
                if (Crds.isFlinkResource(doc)) {
                    tests.add(
                            dynamicTest(
                                    relative(file),
                                    () -> assertThat(Crds.validate(doc)).isEmpty()));
                }
            }
        }
        // Each environment's jobs, the backfill, and the base's jobs.
        assertThat(tests).hasSize(overlays().size() * jobs().size() + 1 + jobs().size());
        return tests.stream();
    }

    /** Every rule of Rules on every rendering: one test per pair, named after both. */
    @TestFactory
    Stream<DynamicTest> everyRuleHoldsForEveryRendering() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Rendering r : renderings()) {
            assertThat(ofKind(r.docs(), "FlinkDeployment")).as(r.name()).isNotEmpty();
            Rules.ALL.forEach(
                    (rule, check) ->
                            tests.add(
                                    dynamicTest(
                                            r.name() + ": " + rule,
                                            () ->
                                                    assertThat(check.check(r.docs(), r.context()))
                                                            .isEmpty())));
        }
        return tests.stream();
    }

    /**
     * Each environment's deployments repeat the Flink choices of its flink-conf/ENV/config.yaml
     * (the local cluster's for overlays/local, the production defaults for overlays/production).
     */
    @TestFactory
    Stream<DynamicTest> flinkConfigurationRepeatsTheEnvironmentsFlinkConf() {
        return renderings().stream()
                .map(
                        r ->
                                dynamicTest(
                                        r.name() + " ~ flink-conf/" + r.environment(),
                                        () ->
                                                assertThat(
                                                                Rules.flinkChoices(
                                                                        r.docs(),
                                                                        flinkConf(r.environment())))
                                                        .isEmpty()));
    }

    static Path flinkConf(String environment) {
        Path file = ROOT.resolve("flink-conf").resolve(environment).resolve("config.yaml");
        assertThat(file)
                .as("the Flink configuration of environment " + environment)
                .isRegularFile();
        return file;
    }

    /** Production runs the sizes flink-conf/production describes ("keep both equal"). */
    @Test
    void productionSizesAreThoseOfFlinkConfProduction() throws IOException {
        Map<String, String> conf =
                Manifests.flatten(Manifests.YAML.readTree(flinkConf("production").toFile()));
        for (JsonNode fd : ofKind(overlay("production").docs(), "FlinkDeployment")) {
            JsonNode spec = fd.path("spec");
            assertThat(megabytes(text(spec.path("jobManager").path("resource"), "memory")))
                    .as(Rules.id(fd) + " JobManager memory")
                    .isEqualTo(megabytes(conf.get("jobmanager.memory.process.size")));
            assertThat(megabytes(text(spec.path("taskManager").path("resource"), "memory")))
                    .as(Rules.id(fd) + " TaskManager memory")
                    .isEqualTo(megabytes(conf.get("taskmanager.memory.process.size")));
            assertThat(flinkConfiguration(fd))
                    .containsEntry(
                            "taskmanager.numberOfTaskSlots",
                            conf.get("taskmanager.numberOfTaskSlots"))
                    .containsEntry("parallelism.default", conf.get("parallelism.default"));
            assertThat(spec.path("job").path("parallelism").asText())
                    .isEqualTo(conf.get("parallelism.default"));
        }
    }

    /** 2048m, 2g → 2048. */
    private static long megabytes(String size) {
        assertThat(size).matches("[0-9]+[mg]");
        long n = Long.parseLong(size.substring(0, size.length() - 1));
        return size.endsWith("g") ? n * 1024 : n;
    }

    @Test
    void localKeepsStateOnItsClaimAndProductionInS3WithAStandbyJobManager() {
        List<JsonNode> local = overlay("local").docs();
        assertThat(find(local, "PersistentVolumeClaim", "tidemark-flink-state")).isNotNull();
        for (JsonNode fd : ofKind(local, "FlinkDeployment")) {
            String job = Manifests.jobOf(fd);
            assertThat(flinkConfiguration(fd).get(Rules.CHECKPOINT_DIR))
                    .startsWith("file:///flink-data/" + job + "/");
            assertThat(fd.path("spec").path("jobManager").path("replicas").asInt()).isEqualTo(1);
            // The image as built and loaded into the local cluster, from no registry.
            assertThat(text(fd.path("spec"), "image")).doesNotContain("/");
        }
        List<JsonNode> production = overlay("production").docs();
        assertThat(ofKind(production, "PersistentVolumeClaim")).isEmpty();
        for (JsonNode fd : ofKind(production, "FlinkDeployment")) {
            String job = Manifests.jobOf(fd);
            assertThat(flinkConfiguration(fd).get(Rules.SAVEPOINT_DIR))
                    .startsWith("s3://")
                    .endsWith("/" + job + "/savepoints");
            assertThat(fd.path("spec").path("jobManager").path("replicas").asInt())
                    .isGreaterThanOrEqualTo(2);
            assertThat(text(fd.path("spec"), "image")).contains("/tidemark-" + job + ":");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Backfill
    // ---------------------------------------------------------------------------------------

    @Test
    void backfillRunsTheLiveJobBoundedIntoSuffixedTopics() {
        Rendering backfill = backfill();
        assertThat(Rules.backfill(backfill.docs(), overlay(backfillEnvironment()).docs()))
                .isEmpty();
    }

    @Test
    void backfillRuleFailsWhenABackfillWouldTouchTheLiveJob() {
        List<JsonNode> environment = overlay(backfillEnvironment()).docs();
        List<JsonNode> good = backfill().docs();
        String name = Manifests.name(ofKind(good, "FlinkDeployment").get(0));
        String job = Manifests.jobOf(ofKind(good, "FlinkDeployment").get(0));

        assertSingleViolation(
                Rules.backfill(
                        withArgs(
                                good,
                                name,
                                a -> a.removeIf(s -> s.startsWith("--output-topic-suffix"))),
                        environment),
                "no --output-topic-suffix");
        assertSingleViolation(
                Rules.backfill(
                        withArgs(
                                good,
                                name,
                                a -> a.replaceAll(s -> s.startsWith("--to") ? "--to=none" : s)),
                        environment),
                "no bounded --to");
        assertSingleViolation(
                Rules.backfill(
                        withArgs(
                                good,
                                name,
                                a ->
                                        a.replaceAll(
                                                s ->
                                                        s.contains("source.group-id")
                                                                ? "--set=source.group-id=tidemark-"
                                                                        + job
                                                                : s)),
                        environment),
                "no source.group-id of its own");
        assertSingleViolation(
                Rules.backfill(withArgs(good, name, a -> a.add("--form=earliest")), environment),
                "--form=earliest is not an option of JobArgs");
        assertSingleViolation(
                Rules.backfill(
                        withArgs(good, name, a -> a.add("--set=sesion.gap=1 h")), environment),
                "--set sesion.gap is a key the job does not declare");

        // Mounting the live job's config file: deleting the backfill would delete it.
        List<JsonNode> shared = copy(good);
        ObjectNode fd = deployment(shared, name);
        ((ObjectNode)
                        fd.path("spec")
                                .path("podTemplate")
                                .path("spec")
                                .path("volumes")
                                .get(0)
                                .path("configMap"))
                .put("name", "tidemark-" + job + "-config");
        assertSingleViolation(
                Rules.backfill(shared, environment), "does not mount its own ConfigMap");

        // Under the live job's name it would replace the live job.
        List<JsonNode> renamed = copy(good);
        ((ObjectNode) deployment(renamed, name).path("metadata")).put("name", "tidemark-" + job);
        assertThat(Rules.backfill(renamed, environment))
                .anySatisfy(v -> assertThat(v).contains("not named tidemark-" + job + "-backfill"));
    }

    private static List<JsonNode> withArgs(
            List<JsonNode> docs, String name, java.util.function.Consumer<List<String>> change) {
        List<JsonNode> copy = copy(docs);
        ObjectNode job = (ObjectNode) deployment(copy, name).path("spec").path("job");
        List<String> args = new ArrayList<>(strings(job.path("args")));
        change.accept(args);
        ArrayNode array = job.putArray("args");
        args.forEach(array::add);
        return copy;
    }

    // ---------------------------------------------------------------------------------------
    // The image
    // ---------------------------------------------------------------------------------------

    @Test
    void dockerfileBuildsTheImageTheManifestsName() {
        String dockerfile = read(MODULE.resolve("Dockerfile"));
        assertThat(dockerfile)
                .as("the Flink image of the build")
                .contains("\nFROM flink:" + Manifests.flinkVersion() + "-java17\n");
        // The shaded jar (classifier "job", root pom) under the name every jarURI uses
        // (local:///opt/flink/usrlib/tidemark-job-<job>.jar, Rules.runsJobModule).
        assertThat(read(ROOT.resolve("pom.xml")))
                .contains("<shadedClassifierName>job</shadedClassifierName>");
        assertThat(dockerfile)
                .containsPattern(
                        "\nCOPY --chown=flink:flink tidemark-job-\\$\\{JOB}-\\$\\{VERSION}-job\\.jar"
                                + " /opt/flink/usrlib/tidemark-job-\\$\\{JOB}\\.jar\n");
        // The Prometheus reporter the deployments configure is a plugin of the image.
        assertThat(dockerfile)
                .contains("/opt/flink/plugins/metrics-prometheus")
                .contains("flink-metrics-prometheus-");
    }

    // ---------------------------------------------------------------------------------------
    // The schema check rejects what the API server would prune or refuse
    // ---------------------------------------------------------------------------------------

    private static ObjectNode productionDeployment() {
        return deployment(copy(overlay("production").docs()), "tidemark-" + jobs().get(0));
    }

    @Test
    void upgradeModeTypoIsRejected() {
        ObjectNode deployment = productionDeployment();
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
        ObjectNode deployment = productionDeployment();
        ObjectNode container = (ObjectNode) mainContainer(deployment);
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
        ObjectNode deployment = productionDeployment();
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
    // Each rule fails when it is broken: a rendered document, modified
    // ---------------------------------------------------------------------------------------

    /** The violations of one rule on a copy of a rendering with one deployment changed. */
    private static List<String> violations(
            String env, String rule, UnaryOperator<ObjectNode> change) {
        assertThat(Rules.ALL).containsKey(rule);
        List<JsonNode> docs = copy(overlay(env).docs());
        change.apply(deployment(docs, "tidemark-" + jobs().get(0)));
        return Rules.ALL.get(rule).check(docs, docs);
    }

    /** The rule, on a copy of env's rendering with one deployment changed, fails once: expected. */
    private static void assertSingleViolation(
            String env, String rule, UnaryOperator<ObjectNode> change, String expected) {
        assertSingleViolation(violations(env, rule, change), expected);
    }

    /** The rule holds on env's rendering as it is. */
    private static void assertNoViolations(String env, String rule) {
        assertThat(violations(env, rule, fd -> fd)).isEmpty();
    }

    /** Exactly one violation, and it says expected. */
    private static void assertSingleViolation(List<String> violations, String expected) {
        assertThat(violations).singleElement().asString().contains(expected);
    }

    /** Removes the elements of array that match, as a mutation of violations(...) does. */
    private static void removeElements(ArrayNode array, Predicate<JsonNode> match) {
        for (int i = array.size() - 1; i >= 0; i--) {
            if (match.test(array.get(i))) {
                array.remove(i);
            }
        }
    }

    private static ObjectNode conf(ObjectNode fd) {
        return (ObjectNode) fd.path("spec").path("flinkConfiguration");
    }

    private static ObjectNode annotations(ObjectNode fd) {
        return (ObjectNode)
                fd.path("spec").path("podTemplate").path("metadata").path("annotations");
    }

    private static ObjectNode env(ObjectNode fd, String name) {
        for (JsonNode env : mainContainer(fd).path("env")) {
            if (name.equals(text(env, "name"))) {
                return (ObjectNode) env;
            }
        }
        throw new AssertionError("no env " + name);
    }

    @Test
    void upgradeModeRuleFails() {
        String rule = "upgradeMode is savepoint";
        assertNoViolations("production", rule);
        assertSingleViolation(
                "production",
                rule,
                fd -> ((ObjectNode) fd.path("spec").path("job")).put("upgradeMode", "last-state"),
                "upgradeMode is 'last-state', not savepoint");
        assertSingleViolation(
                "local",
                rule,
                fd -> (ObjectNode) ((ObjectNode) fd.path("spec")).without("job"),
                "no spec.job");
        assertSingleViolation(Rules.upgradeMode(List.of()), "no FlinkDeployment");
    }

    @Test
    void secretRuleFails() {
        String rule = "no secret in plain text";
        String jaas =
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"tidemark\" password=\"hunter2\";";
        // The JAAS config as a literal env value instead of the Secret.
        assertThat(
                        violations(
                                "production",
                                rule,
                                fd -> {
                                    ObjectNode env = env(fd, "KAFKA_JAAS");
                                    env.remove("valueFrom");
                                    env.put("value", jaas);
                                    return fd;
                                }))
                .hasSize(2)
                .anySatisfy(
                        v -> assertThat(v).contains("a credential literal at .spec.podTemplate"))
                .anySatisfy(
                        v -> assertThat(v).contains("env KAFKA_JAAS is not from a secretKeyRef"));
        // A password in a --set argument, even without a login module line.
        assertThat(
                        violations(
                                "production",
                                rule,
                                fd -> {
                                    ((ArrayNode) fd.path("spec").path("job").path("args"))
                                            .add("--set=kafka.ssl.truststore.password=changeit");
                                    return fd;
                                }))
                .anySatisfy(v -> assertThat(v).contains("argument kafka.ssl.truststore.password"));
        // A key for the state bucket in flinkConfiguration.
        assertSingleViolation(
                "production",
                rule,
                fd -> {
                    conf(fd).put("s3.secret-key", "AKIA-not-a-real-key");
                    return fd;
                },
                "flinkConfiguration.s3.secret-key");

        // In a ConfigMap: the job's config file with the JAAS config written out, a credential
        // entry in the Kafka ConfigMap; and a Secret rendered from git.
        List<JsonNode> docs = copy(overlay("production").docs());
        ObjectNode config =
                (ObjectNode)
                        find(docs, "ConfigMap", "tidemark-" + jobs().get(0) + "-config")
                                .path("data");
        String file = jobs().get(0) + ".yaml";
        config.put(
                file,
                config.path(file).asText().replace("\"${env:KAFKA_JAAS}\"", "'" + jaas + "'"));
        ((ObjectNode) find(docs, "ConfigMap", "tidemark-kafka-connection").path("data"))
                .put("sasl.password", "${env:KAFKA_PASSWORD}");
        List<JsonNode> withSecret = new ArrayList<>(docs);
        withSecret.add(
                Manifests.parseAll(
                                "apiVersion: v1\nkind: Secret\nmetadata: {name: tidemark-kafka}\n")
                        .get(0));
        assertThat(Rules.noPlainSecrets(withSecret))
                .hasSize(4)
                .anySatisfy(v -> assertThat(v).contains("a credential literal at .data." + file))
                .anySatisfy(
                        v ->
                                assertThat(v)
                                        .contains(
                                                "kafka.sasl.jaas.config is not a ${env:...} reference"))
                .anySatisfy(v -> assertThat(v).contains("data.sasl.password holds a credential"))
                .anySatisfy(
                        v ->
                                assertThat(v)
                                        .contains(
                                                "Secret tidemark-kafka: Secrets are created by hand"));
    }

    @Test
    void imageRuleFails() {
        String rule = "image tag is the project version";
        String version = Manifests.projectVersion();
        assertNoViolations("production", rule);
        assertSingleViolation(
                "production",
                rule,
                fd -> {
                    ObjectNode spec = (ObjectNode) fd.path("spec");
                    spec.put("image", text(spec, "image").replace(":" + version, ":0.0.1"));
                    return fd;
                },
                "image tag 0.0.1 is not the project version " + version);
        assertSingleViolation(
                "local",
                rule,
                fd -> ((ObjectNode) fd.path("spec")).put("image", "tidemark-revenue:" + version),
                "is not tidemark-" + jobs().get(0));
        assertSingleViolation(
                "local",
                rule,
                fd -> ((ObjectNode) fd.path("spec")).put("image", "tidemark-" + jobs().get(0)),
                "has no tag");
    }

    @Test
    void prometheusRuleFails() {
        String rule = "Prometheus annotations name the reporter port";
        assertNoViolations("local", rule);
        // The reporter moved to another port, the annotation and the container port did not.
        assertThat(violations("local", rule, fd -> conf(fd).put(Rules.PROM_PORT_KEY, "9250")))
                .hasSize(2)
                .anySatisfy(
                        v ->
                                assertThat(v)
                                        .contains(
                                                "prometheus.io/port '9249' is not the reporter port '9250'"))
                .anySatisfy(v -> assertThat(v).contains("declares no port 'metrics' 9250"));
        assertSingleViolation(
                "production",
                rule,
                fd -> {
                    annotations(fd).remove("prometheus.io/scrape");
                    return fd;
                },
                "prometheus.io/scrape is not \"true\"");
        assertSingleViolation(
                "production",
                rule,
                fd -> {
                    conf(fd).remove(Rules.PROM_FACTORY_KEY);
                    return fd;
                },
                Rules.PROM_FACTORY_KEY);
        assertThat(
                        violations(
                                "production",
                                rule,
                                fd -> conf(fd).put(Rules.PROM_PORT_KEY, "9249-9260")))
                .anySatisfy(v -> assertThat(v).contains("is not one port"));
    }

    @Test
    void stateRuleFails() {
        String rule = "state on durable storage, per job";
        String job = jobs().get(0);
        assertNoViolations("local", rule);
        assertSingleViolation(
                "production",
                rule,
                fd -> {
                    conf(fd).remove(Rules.SAVEPOINT_DIR);
                    return fd;
                },
                "no " + Rules.SAVEPOINT_DIR);
        // A directory inside the container: gone with the pod.
        assertSingleViolation(
                "local",
                rule,
                fd -> conf(fd).put(Rules.CHECKPOINT_DIR, "file:///tmp/" + job + "/checkpoints"),
                "is on no mounted volume");
        assertSingleViolation(
                "local",
                rule,
                fd -> conf(fd).put(Rules.HA_DIR, "/flink-data/" + job + "/ha"),
                "is on no durable file system");
        // Another job's directories.
        assertSingleViolation(
                "production",
                rule,
                fd ->
                        conf(fd).put(
                                        Rules.CHECKPOINT_DIR,
                                        "s3://tidemark-flink-state/revenue/checkpoints"),
                "is not the job's own");
        assertSingleViolation(
                "production",
                rule,
                fd ->
                        conf(fd).put(
                                        "state.savepoints.dir",
                                        "s3://tidemark-flink-state/" + job + "/savepoints"),
                "deprecated state.savepoints.dir");
        assertSingleViolation(
                "production",
                rule,
                fd -> {
                    conf(fd).remove(Rules.HA_TYPE);
                    return fd;
                },
                Rules.HA_TYPE + " is not kubernetes");
        assertSingleViolation(
                "production", rule, fd -> conf(fd).put(Rules.DRAIN_KEY, "true"), "must stay false");
        // The local claim, but without the PersistentVolumeClaim that creates it.
        List<JsonNode> docs =
                overlay("local").docs().stream()
                        .filter(d -> !Manifests.isKind(d, "PersistentVolumeClaim"))
                        .toList();
        assertThat(Rules.state(docs, docs))
                .hasSize(3 * jobs().size())
                .allSatisfy(
                        v ->
                                assertThat(v)
                                        .contains(
                                                "is on claim tidemark-flink-state, which nothing creates"));
    }

    @Test
    void pluginsRuleFails() {
        String rule = "plugins of the image's Flink version";
        assertNoViolations("production", rule);
        assertSingleViolation(
                "production",
                rule,
                fd -> env(fd, Rules.PLUGINS_ENV).put("value", "flink-s3-fs-presto-1.20.1.jar"),
                "plugin flink-s3-fs-presto-1.20.1.jar is not of Flink " + Manifests.flinkVersion());
        assertSingleViolation(
                "production",
                rule,
                fd ->
                        env(fd, Rules.PLUGINS_ENV)
                                .put(
                                        "value",
                                        "flink-metrics-jmx-" + Manifests.flinkVersion() + ".jar"),
                "s3:// directories without an S3 file system");
        assertSingleViolation(
                "local",
                rule,
                fd ->
                        conf(fd).put(
                                        Rules.CHECKPOINT_DIR,
                                        "s3://bucket/" + jobs().get(0) + "/checkpoints"),
                "s3:// directories without an S3 file system");
    }

    @Test
    void flinkVersionAndFlinkConfRulesFail() {
        assertSingleViolation(
                "local",
                "flinkVersion is the build's",
                fd -> ((ObjectNode) fd.path("spec")).put("flinkVersion", "v1_20"),
                "flinkVersion v1_20 is not " + Manifests.flinkVersionEnum());
        List<JsonNode> production = copy(overlay("production").docs());
        conf(deployment(production, "tidemark-" + jobs().get(0)))
                .put("state.backend.type", "hashmap");
        assertSingleViolation(
                Rules.flinkChoices(production, flinkConf("production")),
                "state.backend.type is hashmap, flink-conf/production/config.yaml says"
                        + " rocksdb");
        // The local cluster's checkpointing is not production's.
        assertThat(Rules.flinkChoices(overlay("local").docs(), flinkConf("production")))
                .anySatisfy(
                        v ->
                                assertThat(v)
                                        .contains(
                                                "execution.checkpointing.interval is 10 s,"
                                                        + " flink-conf/production/config.yaml says 1"
                                                        + " min"));
    }

    @Test
    void checkpointIntervalRuleFails() {
        String rule = "the job checkpoints at the deployment's interval";
        assertNoViolations("production", rule);
        // Production's minute without telling the job: it would checkpoint at its default.
        assertSingleViolation(
                "production",
                rule,
                fd -> {
                    removeElements(
                            (ArrayNode) fd.path("spec").path("job").path("args"),
                            arg -> arg.asText().startsWith("--set=checkpoint.interval"));
                    return fd;
                },
                "the job checkpoints every "
                        + Rules.defaultCheckpointInterval()
                        + ", flinkConfiguration says execution.checkpointing.interval 1 min");
        assertSingleViolation(
                "local",
                rule,
                fd -> conf(fd).put(Rules.CHECKPOINT_INTERVAL_KEY, "30 s"),
                "flinkConfiguration says execution.checkpointing.interval 30 s");
        assertThat(Rules.seconds("1 min")).isEqualTo(Rules.seconds("60 s")).isEqualTo(60);
        assertThat(Rules.seconds("500 ms")).isEqualTo(0.5);
    }

    @Test
    void runsJobModuleRuleFails() {
        String rule = "runs what the job module builds";
        String job = jobs().get(0);
        assertNoViolations("local", rule);
        assertSingleViolation(
                "local",
                rule,
                fd ->
                        ((ObjectNode) fd.path("spec").path("job"))
                                .put(
                                        "jarURI",
                                        Rules.JAR_DIR
                                                + "tidemark-job-"
                                                + job
                                                + "-"
                                                + Manifests.projectVersion()
                                                + "-job.jar"),
                "jarURI is not " + Rules.JAR_DIR + "tidemark-job-" + job + ".jar");
        assertSingleViolation(
                "local",
                rule,
                fd ->
                        ((ObjectNode) fd.path("spec").path("job"))
                                .put("entryClass", "io.tidemark.jobs.Main"),
                "entryClass is not");
        assertSingleViolation(
                "local",
                rule,
                fd -> ((ObjectNode) fd.path("spec").path("job")).put("allowNonRestoredState", true),
                "allowNonRestoredState is not false");
    }

    @Test
    void jobConfigurationRuleFails() {
        String rule = "job config from its ConfigMap, Kafka from env";
        assertNoViolations("production", rule);
        // The config file refers to a variable the pod does not set.
        assertSingleViolation(
                "production",
                rule,
                fd -> {
                    removeElements(
                            (ArrayNode) mainContainer(fd).path("env"),
                            env -> "KAFKA_BOOTSTRAP_SERVERS".equals(text(env, "name")));
                    return fd;
                },
                "kafka.bootstrap.servers uses KAFKA_BOOTSTRAP_SERVERS, which the container does not set");
        // The JAAS config from a ConfigMap: not a Secret.
        assertSingleViolation(
                "production",
                rule,
                fd -> {
                    ObjectNode valueFrom = (ObjectNode) env(fd, "KAFKA_JAAS").path("valueFrom");
                    valueFrom.set("configMapKeyRef", valueFrom.remove("secretKeyRef"));
                    return fd;
                },
                "kafka.sasl.jaas.config uses KAFKA_JAAS, which is not from a secretKeyRef");
        // A key of the Kafka ConfigMap that the environment does not have.
        assertSingleViolation(
                "local",
                rule,
                fd -> {
                    ((ObjectNode)
                                    env(fd, "KAFKA_SASL_MECHANISM")
                                            .path("valueFrom")
                                            .path("configMapKeyRef"))
                            .put("key", "sasl.mechanisms");
                    return fd;
                },
                "key sasl.mechanisms, which nothing creates");
        // --config pointing elsewhere than the ConfigMap's mount.
        assertSingleViolation(
                "local",
                rule,
                fd -> {
                    ((ArrayNode) fd.path("spec").path("job").path("args"))
                            .set(1, "/opt/flink/conf/" + jobs().get(0) + ".yaml");
                    return fd;
                },
                "is no ConfigMap of this rendering");
    }

    // ---------------------------------------------------------------------------------------
    // Each rule fails when it is broken: the manifests themselves, modified and rendered
    // ---------------------------------------------------------------------------------------

    /**
     * A broken copy of k8s-operator/, rendered by kustomize: the rules see what a patch in a
     * component, a resource of an overlay or a base manifest does to what is applied.
     */
    @Test
    void brokenCopiesOfTheManifestsFailTheirRulesAfterRendering(@TempDir Path tmp)
            throws IOException {
        Path copy = tmp.resolve("k8s-operator");
        for (String layer : Manifests.LAYERS) {
            for (Path file : Manifests.walk(MODULE.resolve(layer), ".yaml")) {
                Path target = copy.resolve(MODULE.relativize(file));
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        String job = jobs().get(0);
        String version = Manifests.projectVersion();

        // A production patch (the last block of checkpointing.yaml is its flinkConfiguration)
        // that moves the reporter port without the annotations, and makes upgrades last-state.
        append(
                copy.resolve("components/production/checkpointing.yaml"),
                "    metrics.reporter.prom.port: \"9250\"\n  job:\n    upgradeMode: last-state\n");
        // A JAAS config written into the local Kafka ConfigMap.
        append(
                copy.resolve("overlays/local/kafka-connection.yaml"),
                "  sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"u\" password=\"p\";\n");
        // The base image of one job at another version.
        replace(
                copy.resolve("base/" + job + "/flink-deployment.yaml"),
                ":" + version + "\n",
                ":0.0.1\n");

        List<JsonNode> production = Kustomize.buildFresh(copy.resolve("overlays/production"));
        List<JsonNode> local = Kustomize.buildFresh(copy.resolve("overlays/local"));

        assertThat(Rules.upgradeMode(production)).hasSize(jobs().size());
        assertThat(Rules.upgradeMode(local)).isEmpty();
        assertThat(Rules.noPlainSecrets(local))
                .anySatisfy(
                        v ->
                                assertThat(v)
                                        .contains(
                                                "ConfigMap tidemark-kafka-connection: data.sasl.jaas.config holds a credential"))
                .anySatisfy(
                        v ->
                                assertThat(v)
                                        .contains(
                                                "a credential literal at .data.sasl.jaas.config"));
        assertThat(Rules.noPlainSecrets(production)).isEmpty();
        assertSingleViolation(Rules.image(local), "tidemark-" + job + ": image tag 0.0.1");
        assertThat(Rules.image(production)).hasSize(1);
        assertThat(Rules.prometheus(production))
                .hasSize(2 * jobs().size())
                .anySatisfy(v -> assertThat(v).contains("is not the reporter port '9250'"));
        assertThat(Rules.prometheus(local)).isEmpty();

        // A patch that no longer finds the container it expects fails the rendering itself.
        replace(
                copy.resolve("base/" + job + "/flink-deployment.yaml"),
                "- name: flink-main-container",
                "- name: main");
        Kustomize.Result broken = Kustomize.tryBuild(copy.resolve("overlays/local"));
        assertThat(broken.exitCode()).isNotZero();
        assertThat(broken.stderr()).contains("/spec/podTemplate/spec/containers/0/name");
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, Files.readString(file) + text);
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String content = Files.readString(file);
        assertThat(content).as(file.toString()).contains(from);
        Files.writeString(file, content.replace(from, to));
    }
}
