package io.tidemark.k8s;

import static io.tidemark.k8s.Manifests.MAIN_CONTAINER;
import static io.tidemark.k8s.Manifests.ROOT;
import static io.tidemark.k8s.Manifests.YAML;
import static io.tidemark.k8s.Manifests.capitalize;
import static io.tidemark.k8s.Manifests.find;
import static io.tidemark.k8s.Manifests.flatten;
import static io.tidemark.k8s.Manifests.flinkConfiguration;
import static io.tidemark.k8s.Manifests.jobOf;
import static io.tidemark.k8s.Manifests.mainContainer;
import static io.tidemark.k8s.Manifests.name;
import static io.tidemark.k8s.Manifests.ofKind;
import static io.tidemark.k8s.Manifests.read;
import static io.tidemark.k8s.Manifests.strings;
import static io.tidemark.k8s.Manifests.text;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's rules for what is deployed, as functions from rendered documents to violations
 * (empty: the rule holds). Each takes the documents of one rendering and its context: what exists
 * in the cluster when they are applied (the rendering itself, plus the environment's resources for
 * a backfill). ManifestsTest runs every rule on every rendering, and shows with a broken copy that
 * each one fails when its rule is broken.
 */
final class Rules {

    static final String CHECKPOINT_DIR = "execution.checkpointing.dir";
    static final String SAVEPOINT_DIR = "execution.checkpointing.savepoint-dir";
    static final String HA_TYPE = "high-availability.type";
    static final String HA_DIR = "high-availability.storageDir";

    /**
     * Old names of the directory keys. Operator 1.13+ (built on Flink 1.20) and Flink 2.2 read the
     * execution.checkpointing.* names; a second copy under the old name could only diverge.
     */
    static final List<String> DEPRECATED_DIR_KEYS =
            List.of("state.checkpoints.dir", "state.savepoints.dir");

    static final String DRAIN_KEY = "kubernetes.operator.job.drain-on-savepoint-deletion";
    static final String PROM_FACTORY_KEY = "metrics.reporter.prom.factory.class";
    static final String PROM_PORT_KEY = "metrics.reporter.prom.port";
    static final String PROM_FACTORY =
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
    static final String PLUGINS_ENV = "ENABLE_BUILT_IN_PLUGINS";
    static final String JAR_DIR = "local:///opt/flink/usrlib/";

    /** File systems Flink reaches through a plugin, shared by all pods by construction. */
    private static final Set<String> REMOTE_SCHEMES =
            Set.of("s3", "s3a", "s3p", "gs", "abfs", "abfss", "wasb", "wasbs", "oss", "hdfs");

    /** Names of keys, env vars and data entries that hold credentials. */
    static final Pattern SENSITIVE_NAME =
            Pattern.compile(
                    "(?i).*(password|passwd|secret|jaas|token|credential|access[-_.]?key"
                            + "|private[-_.]?key).*");

    /** Credentials written out: a JAAS login module line, a password assignment, a PEM key. */
    static final Pattern SECRET_LITERAL =
            Pattern.compile(
                    "(?i)(LoginModule|password\\s*[=:]\\s*\\S|passwd\\s*[=:]\\s*\\S"
                            + "|BEGIN [A-Z ]*PRIVATE KEY)");

    /** A whole value that only refers to an environment variable. */
    static final Pattern ENV_REF_ONLY = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    /** A rule over one rendering: its documents and what exists when they are applied. */
    interface Rule {
        List<String> check(List<JsonNode> docs, List<JsonNode> context);
    }

    /** Every rule, by the name the tests show. */
    static final Map<String, Rule> ALL = all();

    private Rules() {}

    private static Map<String, Rule> all() {
        Map<String, Rule> rules = new LinkedHashMap<>();
        rules.put("upgradeMode is savepoint", (docs, context) -> upgradeMode(docs));
        rules.put("no secret in plain text", (docs, context) -> noPlainSecrets(docs));
        rules.put("image tag is the project version", (docs, context) -> image(docs));
        rules.put("Prometheus annotations name the reporter port", (docs, c) -> prometheus(docs));
        rules.put("state on durable storage, per job", Rules::state);
        rules.put("plugins of the image's Flink version", (docs, context) -> plugins(docs));
        rules.put("flinkVersion is the build's", (docs, context) -> flinkVersion(docs));
        rules.put("runs what the job module builds", (docs, context) -> runsJobModule(docs));
        rules.put("job config from its ConfigMap, Kafka from env", Rules::jobConfiguration);
        rules.put("the job checkpoints at the deployment's interval", Rules::checkpointInterval);
        return rules;
    }

    // ---------------------------------------------------------------------------------------
    // upgradeMode: savepoint everywhere
    // ---------------------------------------------------------------------------------------

    static List<String> upgradeMode(List<JsonNode> docs) {
        List<String> violations = new ArrayList<>();
        List<JsonNode> jobs = new ArrayList<>(ofKind(docs, "FlinkDeployment"));
        jobs.addAll(ofKind(docs, "FlinkSessionJob"));
        if (jobs.isEmpty()) {
            violations.add("no FlinkDeployment or FlinkSessionJob to check");
        }
        for (JsonNode resource : jobs) {
            JsonNode job = resource.path("spec").path("job");
            if (!job.isObject()) {
                violations.add(
                        id(resource)
                                + ": no spec.job (Tidemark runs each job in its own application"
                                + " cluster, never a bare session cluster)");
            } else if (!"savepoint".equals(text(job, "upgradeMode"))) {
                violations.add(
                        id(resource)
                                + ": spec.job.upgradeMode is '"
                                + job.path("upgradeMode").asText()
                                + "', not savepoint");
            }
        }
        return violations;
    }

    // ---------------------------------------------------------------------------------------
    // No secret in plain text: credentials only through secretKeyRef
    // ---------------------------------------------------------------------------------------

    static List<String> noPlainSecrets(List<JsonNode> docs) {
        List<String> violations = new ArrayList<>();
        for (JsonNode doc : docs) {
            if (Manifests.isKind(doc, "Secret")) {
                violations.add(id(doc) + ": Secrets are created by hand, never rendered from git");
            }
            scanStrings(id(doc), "", doc, violations);
            if (Manifests.isKind(doc, "ConfigMap")) {
                Iterator<Map.Entry<String, JsonNode>> data = doc.path("data").fields();
                while (data.hasNext()) {
                    Map.Entry<String, JsonNode> entry = data.next();
                    if (SENSITIVE_NAME.matcher(entry.getKey()).matches()) {
                        violations.add(
                                id(doc) + ": data." + entry.getKey() + " holds a credential");
                    }
                    configFileSecrets(
                            id(doc) + " data." + entry.getKey(), entry.getValue(), violations);
                }
            }
            if (Manifests.isKind(doc, "FlinkDeployment")) {
                for (String key : flinkConfiguration(doc).keySet()) {
                    if (SENSITIVE_NAME.matcher(key).matches()) {
                        violations.add(
                                id(doc)
                                        + ": flinkConfiguration."
                                        + key
                                        + " (the operator's configuration cannot read a Secret)");
                    }
                }
                for (JsonNode container :
                        doc.path("spec").path("podTemplate").path("spec").path("containers")) {
                    for (JsonNode env : container.path("env")) {
                        String envName = text(env, "name");
                        if (SENSITIVE_NAME.matcher(envName).matches()
                                && text(env.path("valueFrom").path("secretKeyRef"), "name")
                                        .isEmpty()) {
                            violations.add(
                                    id(doc) + ": env " + envName + " is not from a secretKeyRef");
                        }
                    }
                }
                // --set key=value, --set=key=value: the CR (and every `kubectl get -o yaml`)
                // shows the arguments.
                for (String arg : strings(doc.path("spec").path("job").path("args"))) {
                    String setting = arg.startsWith("--set=") ? arg.substring(6) : arg;
                    int eq = setting.indexOf('=');
                    String key = eq > 0 ? setting.substring(0, eq) : "";
                    if (SENSITIVE_NAME.matcher(key).matches()
                            && !ENV_REF_ONLY.matcher(setting.substring(eq + 1)).matches()) {
                        violations.add(id(doc) + ": argument " + key + "=... holds a credential");
                    }
                }
            }
        }
        return violations;
    }

    /** A config file in a ConfigMap: each credential key is only a ${env:NAME} reference. */
    private static void configFileSecrets(String where, JsonNode value, List<String> violations) {
        JsonNode tree;
        try {
            tree = YAML.readTree(value.asText());
        } catch (IOException e) {
            return; // not YAML: the literal scan covers it
        }
        if (tree == null || !tree.isObject()) {
            return;
        }
        flatten(tree)
                .forEach(
                        (key, v) -> {
                            if (SENSITIVE_NAME.matcher(key).matches()
                                    && !ENV_REF_ONLY.matcher(v).matches()) {
                                violations.add(
                                        where + ": " + key + " is not a ${env:...} reference");
                            }
                        });
    }

    private static void scanStrings(
            String where, String path, JsonNode node, List<String> violations) {
        if (node.isTextual()) {
            if (SECRET_LITERAL.matcher(node.asText()).find()) {
                violations.add(where + ": a credential literal at " + path);
            }
        } else if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            f ->
                                    scanStrings(
                                            where,
                                            path + "." + f.getKey(),
                                            f.getValue(),
                                            violations));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                scanStrings(where, path + "[" + i + "]", node.get(i), violations);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // The image is tidemark-<job> at the project version
    // ---------------------------------------------------------------------------------------

    static List<String> image(List<JsonNode> docs) {
        List<String> violations = new ArrayList<>();
        String version = Manifests.projectVersion();
        for (JsonNode fd : ofKind(docs, "FlinkDeployment")) {
            String image = text(fd.path("spec"), "image");
            int slash = image.lastIndexOf('/');
            int colon = image.lastIndexOf(':');
            if (colon <= slash || image.contains("@")) {
                violations.add(id(fd) + ": image " + image + " has no tag");
                continue;
            }
            String repository = image.substring(slash + 1, colon);
            String tag = image.substring(colon + 1);
            if (!tag.equals(version)) {
                violations.add(
                        id(fd) + ": image tag " + tag + " is not the project version " + version);
            }
            if (!repository.equals("tidemark-" + jobOf(fd))) {
                violations.add(id(fd) + ": image " + image + " is not tidemark-" + jobOf(fd));
            }
        }
        return violations;
    }

    // ---------------------------------------------------------------------------------------
    // Prometheus: reporter on, pods annotated with its port
    // ---------------------------------------------------------------------------------------

    static List<String> prometheus(List<JsonNode> docs) {
        List<String> violations = new ArrayList<>();
        for (JsonNode fd : ofKind(docs, "FlinkDeployment")) {
            Map<String, String> conf = flinkConfiguration(fd);
            if (!PROM_FACTORY.equals(conf.get(PROM_FACTORY_KEY))) {
                violations.add(id(fd) + ": " + PROM_FACTORY_KEY + " is not " + PROM_FACTORY);
            }
            String port = conf.getOrDefault(PROM_PORT_KEY, "");
            if (!port.matches("[0-9]+")) {
                violations.add(
                        id(fd)
                                + ": "
                                + PROM_PORT_KEY
                                + " '"
                                + port
                                + "' is not one port (one Flink process per pod)");
            }
            JsonNode annotations =
                    fd.path("spec").path("podTemplate").path("metadata").path("annotations");
            if (!"true".equals(text(annotations, "prometheus.io/scrape"))) {
                violations.add(id(fd) + ": pod annotation prometheus.io/scrape is not \"true\"");
            }
            String annotated = text(annotations, "prometheus.io/port");
            if (!annotated.equals(port)) {
                violations.add(
                        id(fd)
                                + ": pod annotation prometheus.io/port '"
                                + annotated
                                + "' is not the reporter port '"
                                + port
                                + "'");
            }
            if (text(annotations, "prometheus.io/path").isEmpty()) {
                violations.add(id(fd) + ": no pod annotation prometheus.io/path");
            }
            boolean declared = false;
            for (JsonNode p : mainContainer(fd).path("ports")) {
                if (p.path("containerPort").asText().equals(port)
                        && "metrics".equals(text(p, "name"))) {
                    declared = true;
                }
            }
            if (!declared) {
                violations.add(
                        id(fd) + ": " + MAIN_CONTAINER + " declares no port 'metrics' " + port);
            }
        }
        return violations;
    }

    // ---------------------------------------------------------------------------------------
    // State: checkpoints, savepoints and HA on durable storage, in the job's own directories
    // ---------------------------------------------------------------------------------------

    static List<String> state(List<JsonNode> docs, List<JsonNode> context) {
        List<String> violations = new ArrayList<>();
        for (JsonNode fd : ofKind(docs, "FlinkDeployment")) {
            Map<String, String> conf = flinkConfiguration(fd);
            if (!"kubernetes".equals(conf.get(HA_TYPE))) {
                violations.add(id(fd) + ": " + HA_TYPE + " is not kubernetes");
            }
            for (String key : List.of(CHECKPOINT_DIR, SAVEPOINT_DIR, HA_DIR)) {
                String dir = conf.get(key);
                if (dir == null || dir.isBlank()) {
                    violations.add(id(fd) + ": no " + key);
                    continue;
                }
                String durable = durable(fd, dir, context);
                if (durable != null) {
                    violations.add(id(fd) + ": " + key + " " + durable);
                }
                if (!dir.contains("/" + jobOf(fd) + "/")) {
                    violations.add(id(fd) + ": " + key + " " + dir + " is not the job's own");
                }
            }
            for (String key : DEPRECATED_DIR_KEYS) {
                if (conf.containsKey(key)) {
                    violations.add(id(fd) + ": deprecated " + key + " (a second, diverging copy)");
                }
            }
            if (!List.of("", "false").contains(conf.getOrDefault(DRAIN_KEY, ""))) {
                violations.add(id(fd) + ": " + DRAIN_KEY + " must stay false");
            }
            for (String key : conf.keySet()) {
                if (key.toLowerCase().contains("upgrade")) {
                    violations.add(id(fd) + ": " + key + " (upgrades are spec.job.upgradeMode's)");
                }
            }
        }
        return violations;
    }

    /** Null when the directory survives pods; otherwise why not. */
    private static String durable(JsonNode fd, String dir, List<JsonNode> context) {
        int sep = dir.indexOf("://");
        String scheme = sep > 0 ? dir.substring(0, sep) : "";
        if (REMOTE_SCHEMES.contains(scheme)) {
            return null;
        }
        if (!scheme.equals("file")) {
            return dir + " is on no durable file system";
        }
        Path path = Paths.get(dir.substring(sep + "://".length()));
        JsonNode podSpec = fd.path("spec").path("podTemplate").path("spec");
        for (JsonNode mount : mainContainer(fd).path("volumeMounts")) {
            if (!path.startsWith(Paths.get(text(mount, "mountPath")))) {
                continue;
            }
            for (JsonNode volume : podSpec.path("volumes")) {
                if (!text(volume, "name").equals(text(mount, "name"))) {
                    continue;
                }
                String claim = text(volume.path("persistentVolumeClaim"), "claimName");
                if (claim.isEmpty()) {
                    return dir + " is on volume " + text(volume, "name") + ", not a claim";
                }
                if (find(context, "PersistentVolumeClaim", claim) == null) {
                    return dir + " is on claim " + claim + ", which nothing creates";
                }
                return null;
            }
        }
        return dir + " is on no mounted volume (a pod's own disk)";
    }

    // ---------------------------------------------------------------------------------------
    // Plugins: the image's Flink version; S3 directories need an S3 file system
    // ---------------------------------------------------------------------------------------

    static List<String> plugins(List<JsonNode> docs) {
        List<String> violations = new ArrayList<>();
        String suffix = "-" + Manifests.flinkVersion() + ".jar";
        for (JsonNode fd : ofKind(docs, "FlinkDeployment")) {
            List<String> jars = new ArrayList<>();
            for (JsonNode env : mainContainer(fd).path("env")) {
                if (PLUGINS_ENV.equals(text(env, "name"))) {
                    jars.addAll(List.of(text(env, "value").split(";")));
                }
            }
            for (String jar : jars) {
                if (!jar.matches("flink-[a-z0-9-]+" + Pattern.quote(suffix))) {
                    violations.add(
                            id(fd)
                                    + ": plugin "
                                    + jar
                                    + " is not of Flink "
                                    + Manifests.flinkVersion());
                }
            }
            boolean s3 =
                    flinkConfiguration(fd).values().stream()
                            .anyMatch(v -> v.matches("s3[ap]?://.*"));
            boolean s3Plugin =
                    jars.stream().anyMatch(j -> j.matches("flink-s3-fs-(presto|hadoop)-.*"));
            if (s3 && !s3Plugin) {
                violations.add(
                        id(fd) + ": s3:// directories without an S3 file system in " + PLUGINS_ENV);
            }
        }
        return violations;
    }

    // ---------------------------------------------------------------------------------------
    // flinkVersion and the Flink choices of the local cluster
    // ---------------------------------------------------------------------------------------

    /**
     * The operator picks config keys, REST calls and the name of the configuration file it writes
     * from {@code flinkVersion}; for anything below {@code v2_0} it writes {@code flink-conf.yaml},
     * which Flink 2.x does not read.
     */
    static List<String> flinkVersion(List<JsonNode> docs) {
        List<String> violations = new ArrayList<>();
        String expected = Manifests.flinkVersionEnum();
        for (JsonNode fd : ofKind(docs, "FlinkDeployment")) {
            String version = text(fd.path("spec"), "flinkVersion");
            if (!expected.equals(version)) {
                violations.add(id(fd) + ": flinkVersion " + version + " is not " + expected);
            }
        }
        return violations;
    }

    /**
     * The Flink choices of an environment's flink-conf/ENV/config.yaml that its deployments repeat:
     * state backend, checkpointing (not its directories), restart strategy, pipeline, HA type and
     * the metrics reporter. Sizes and directories are each deployment's.
     */
    static Map<String, String> flinkChoices(Path configFile) {
        Pattern shared =
                Pattern.compile(
                        "state\\.backend\\.type|execution\\.checkpointing\\..*"
                                + "|restart-strategy\\..*|pipeline\\..*|high-availability\\.type"
                                + "|metrics\\.reporter\\.prom\\.factory\\.class");
        Map<String, String> choices = new LinkedHashMap<>();
        try {
            flatten(YAML.readTree(configFile.toFile()))
                    .forEach(
                            (key, value) -> {
                                if (shared.matcher(key).matches()
                                        && !key.equals(CHECKPOINT_DIR)
                                        && !key.equals(SAVEPOINT_DIR)) {
                                    choices.put(key, value);
                                }
                            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return choices;
    }

    /** Violations of "every deployment repeats the choices of this flink-conf/ file". */
    static List<String> flinkChoices(List<JsonNode> docs, Path configFile) {
        List<String> violations = new ArrayList<>();
        Map<String, String> choices = flinkChoices(configFile);
        String where = ROOT.relativize(configFile).toString();
        if (!choices.containsKey("state.backend.type")) {
            violations.add(where + " has no state.backend.type");
        }
        for (JsonNode fd : ofKind(docs, "FlinkDeployment")) {
            Map<String, String> conf = flinkConfiguration(fd);
            choices.forEach(
                    (key, value) -> {
                        if (!value.equals(conf.get(key))) {
                            violations.add(
                                    id(fd)
                                            + ": "
                                            + key
                                            + " is "
                                            + conf.get(key)
                                            + ", "
                                            + where
                                            + " says "
                                            + value);
                        }
                    });
        }
        return violations;
    }

    // ---------------------------------------------------------------------------------------
    // The deployment runs what the job module builds
    // ---------------------------------------------------------------------------------------

    static List<String> runsJobModule(List<JsonNode> docs) {
        List<String> violations = new ArrayList<>();
        for (JsonNode fd : ofKind(docs, "FlinkDeployment")) {
            String job = jobOf(fd);
            if (!Manifests.jobs().contains(job)) {
                violations.add(id(fd) + ": label app.kubernetes.io/name names no job module");
                continue;
            }
            JsonNode spec = fd.path("spec");
            JsonNode jobSpec = spec.path("job");
            String mainClass = "io.tidemark.jobs." + job + "." + capitalize(job) + "Job";
            if (!mainClass.equals(text(jobSpec, "entryClass"))) {
                violations.add(id(fd) + ": entryClass is not " + mainClass);
            }
            Path source =
                    ROOT.resolve("jobs/" + job + "/src/main/java")
                            .resolve(mainClass.replace('.', '/') + ".java");
            if (!Files.isRegularFile(source)
                    || !read(source).contains("public static void main(String[]")) {
                violations.add(id(fd) + ": no main() in " + source);
            }
            String pom = read(ROOT.resolve("jobs/" + job + "/pom.xml"));
            String artifactId =
                    Manifests.match(pom, "</parent>\\s*<artifactId>([^<]+)</artifactId>");
            if (!pom.contains("<mainClass>" + mainClass + "</mainClass>")) {
                violations.add(id(fd) + ": the shaded jar's Main-Class is not " + mainClass);
            }
            // The Dockerfile copies the shaded jar to this name (ManifestsTest checks it).
            String jar = JAR_DIR + artifactId + ".jar";
            if (!jar.equals(text(jobSpec, "jarURI"))) {
                violations.add(id(fd) + ": jarURI is not " + jar);
            }
            if (!"native".equals(text(spec, "mode"))) {
                violations.add(id(fd) + ": mode is not native");
            }
            if (!jobSpec.path("parallelism").isInt() || jobSpec.path("parallelism").asInt() < 1) {
                violations.add(id(fd) + ": spec.job.parallelism is not a positive integer");
            }
            if (!"running".equals(text(jobSpec, "state"))) {
                violations.add(id(fd) + ": spec.job.state is not running");
            }
            JsonNode nonRestored = jobSpec.path("allowNonRestoredState");
            if (!nonRestored.isBoolean() || nonRestored.asBoolean()) {
                violations.add(id(fd) + ": allowNonRestoredState is not false");
            }
        }
        return violations;
    }

    // ---------------------------------------------------------------------------------------
    // The job's --config comes from its ConfigMap; every ${env:X} it uses is set, credentials
    // from a Secret
    // ---------------------------------------------------------------------------------------

    static List<String> jobConfiguration(List<JsonNode> docs, List<JsonNode> context) {
        List<String> violations = new ArrayList<>();
        for (JsonNode fd : ofKind(docs, "FlinkDeployment")) {
            String job = jobOf(fd);
            List<String> args = strings(fd.path("spec").path("job").path("args"));
            if (args.size() < 2 || !args.get(0).equals("--config")) {
                violations.add(id(fd) + ": args do not start with --config FILE");
                continue;
            }
            Path file = Paths.get(args.get(1));
            if (!file.getFileName().toString().equals(job + ".yaml") || file.getParent() == null) {
                violations.add(id(fd) + ": --config " + file + " is not .../" + job + ".yaml");
                continue;
            }
            JsonNode container = mainContainer(fd);
            JsonNode configMap = null;
            for (JsonNode mount : container.path("volumeMounts")) {
                if (Paths.get(text(mount, "mountPath")).equals(file.getParent())) {
                    for (JsonNode v :
                            fd.path("spec").path("podTemplate").path("spec").path("volumes")) {
                        if (text(v, "name").equals(text(mount, "name"))) {
                            configMap = find(docs, "ConfigMap", text(v.path("configMap"), "name"));
                        }
                    }
                }
            }
            if (configMap == null) {
                violations.add(
                        id(fd) + ": " + file.getParent() + " is no ConfigMap of this rendering");
                continue;
            }
            String yaml = text(configMap.path("data"), job + ".yaml");
            Map<String, String> config;
            try {
                config = yaml.isEmpty() ? Map.of() : flatten(YAML.readTree(yaml));
            } catch (IOException e) {
                violations.add(id(configMap) + ": " + job + ".yaml is no YAML: " + e.getMessage());
                continue;
            }
            if (!job.equals(config.get("job.name"))) {
                violations.add(id(configMap) + ": job.name is not " + job);
            }
            if (!config.containsKey("kafka.bootstrap.servers")) {
                violations.add(id(configMap) + ": no kafka.bootstrap.servers");
            }
            if (config.containsKey("parallelism")) {
                violations.add(id(configMap) + ": parallelism (spec.job.parallelism decides)");
            }
            Set<String> declared = Manifests.declaredConfigKeys(job);
            for (String key : config.keySet()) {
                if (!key.startsWith("kafka.")
                        && !key.startsWith("flink.")
                        && !declared.contains(key)) {
                    violations.add(
                            id(configMap) + ": " + key + " is a key the job does not declare");
                }
            }
            config.forEach(
                    (key, value) -> {
                        Matcher ref = ENV_REF.matcher(value);
                        while (ref.find()) {
                            String problem =
                                    envProblem(
                                            container,
                                            ref.group(1),
                                            SENSITIVE_NAME.matcher(key).matches(),
                                            context);
                            if (problem != null) {
                                violations.add(id(fd) + ": " + key + " uses " + problem);
                            }
                        }
                    });
        }
        return violations;
    }

    // ---------------------------------------------------------------------------------------
    // The job applies its own checkpoint interval: it must be the deployment's
    // ---------------------------------------------------------------------------------------

    /**
     * A Tidemark job sets the checkpoint interval itself (checkpoint.interval,
     * TidemarkEnvironment), over flinkConfiguration's execution.checkpointing.interval: the one it
     * applies (its default, its config file, then its --set arguments) must be the one the
     * deployment states, or the deployment's timeout and transaction budget are computed for an
     * interval that never runs.
     */
    static List<String> checkpointInterval(List<JsonNode> docs, List<JsonNode> context) {
        List<String> violations = new ArrayList<>();
        String jobDefault = defaultCheckpointInterval();
        for (JsonNode fd : ofKind(docs, "FlinkDeployment")) {
            String stated = flinkConfiguration(fd).getOrDefault(CHECKPOINT_INTERVAL_KEY, "");
            Map<String, String> config = jobConfig(fd, docs);
            String applied = config == null ? null : config.get("checkpoint.interval");
            if (applied == null) {
                applied = jobDefault;
            }
            List<String> args = strings(fd.path("spec").path("job").path("args"));
            for (int i = 0; i < args.size(); i++) {
                String setting = null;
                if (args.get(i).startsWith("--set=")) {
                    setting = args.get(i).substring("--set=".length());
                } else if (args.get(i).equals("--set") && i + 1 < args.size()) {
                    setting = args.get(++i);
                }
                if (setting != null && setting.startsWith("checkpoint.interval=")) {
                    applied = setting.substring("checkpoint.interval=".length()).strip();
                }
            }
            if (seconds(applied) != seconds(stated)) {
                violations.add(
                        id(fd)
                                + ": the job checkpoints every "
                                + applied
                                + ", flinkConfiguration says "
                                + CHECKPOINT_INTERVAL_KEY
                                + " "
                                + stated);
            }
        }
        return violations;
    }

    static final String CHECKPOINT_INTERVAL_KEY = "execution.checkpointing.interval";

    /** checkpoint.interval's default, read from TidemarkOptions (e.g. "10 s"). */
    static String defaultCheckpointInterval() {
        String source =
                read(
                        ROOT.resolve(
                                "common/runtime/src/main/java/io/tidemark/common/runtime/config/"
                                        + "TidemarkOptions.java"));
        Matcher m =
                Pattern.compile(
                                "key\\(\"checkpoint\\.interval\"\\)[^;]*?defaultValue\\("
                                        + "Duration\\.of(Millis|Seconds|Minutes)\\((\\d+)\\)\\)")
                        .matcher(source);
        if (!m.find()) {
            throw new IllegalStateException("no default of checkpoint.interval in TidemarkOptions");
        }
        String unit =
                switch (m.group(1)) {
                    case "Millis" -> "ms";
                    case "Seconds" -> "s";
                    default -> "min";
                };
        return m.group(2) + " " + unit;
    }

    /** A Flink duration ("10 s", "1 min", "500 ms", "2h") in seconds; -1 when it is none. */
    static double seconds(String duration) {
        Matcher m =
                Pattern.compile("\\s*(\\d+)\\s*(ms|s|sec|secs|min|m|mins|h|d)?\\s*")
                        .matcher(duration == null ? "" : duration);
        if (!m.matches()) {
            return -1;
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> n / 1000;
            case "min", "m", "mins" -> n * 60;
            case "h" -> n * 3600;
            case "d" -> n * 86400;
            default -> n;
        };
    }

    /** The job's config file as flat keys, from the ConfigMap mounted where --config points. */
    private static Map<String, String> jobConfig(JsonNode fd, List<JsonNode> docs) {
        List<String> args = strings(fd.path("spec").path("job").path("args"));
        if (args.size() < 2 || !args.get(0).equals("--config")) {
            return null;
        }
        Path file = Paths.get(args.get(1));
        for (JsonNode mount : mainContainer(fd).path("volumeMounts")) {
            if (!Paths.get(text(mount, "mountPath")).equals(file.getParent())) {
                continue;
            }
            for (JsonNode v : fd.path("spec").path("podTemplate").path("spec").path("volumes")) {
                JsonNode configMap =
                        text(v, "name").equals(text(mount, "name"))
                                ? find(docs, "ConfigMap", text(v.path("configMap"), "name"))
                                : null;
                if (configMap != null) {
                    try {
                        return flatten(
                                YAML.readTree(
                                        text(
                                                configMap.path("data"),
                                                file.getFileName().toString())));
                    } catch (IOException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    /** Null when the env var is set from something that exists; otherwise what is wrong. */
    private static String envProblem(
            JsonNode container, String name, boolean credential, List<JsonNode> context) {
        for (JsonNode env : container.path("env")) {
            if (!name.equals(text(env, "name"))) {
                continue;
            }
            JsonNode secret = env.path("valueFrom").path("secretKeyRef");
            JsonNode configMapRef = env.path("valueFrom").path("configMapKeyRef");
            if (!text(secret, "name").isEmpty() && !text(secret, "key").isEmpty()) {
                return null; // created by hand: it cannot be in any rendering
            }
            if (credential) {
                return name + ", which is not from a secretKeyRef";
            }
            if (!text(configMapRef, "name").isEmpty()) {
                JsonNode configMap = find(context, "ConfigMap", text(configMapRef, "name"));
                if (configMap == null
                        || text(configMap.path("data"), text(configMapRef, "key")).isEmpty()) {
                    return name
                            + " from ConfigMap "
                            + text(configMapRef, "name")
                            + " key "
                            + text(configMapRef, "key")
                            + ", which nothing creates";
                }
                return null;
            }
            return env.has("value") ? null : name + ", which has no value";
        }
        return name + ", which the container does not set";
    }

    // ---------------------------------------------------------------------------------------
    // A backfill: the live job, bounded, into suffixed topics, under its own names
    // ---------------------------------------------------------------------------------------

    /**
     * Violations of a backfill rendering against the rendering of the environment it runs in (where
     * its live job is).
     */
    static List<String> backfill(List<JsonNode> backfill, List<JsonNode> environment) {
        List<String> violations = new ArrayList<>();
        List<JsonNode> deployments = ofKind(backfill, "FlinkDeployment");
        if (deployments.size() != 1) {
            violations.add("a backfill is one FlinkDeployment, not " + deployments.size());
            return violations;
        }
        JsonNode fd = deployments.get(0);
        String job = jobOf(fd);
        String liveName = "tidemark-" + job;
        JsonNode live = find(environment, "FlinkDeployment", liveName);
        if (live == null) {
            violations.add(id(fd) + ": its environment has no " + liveName);
            return violations;
        }
        if (!name(fd).equals(liveName + "-backfill")) {
            violations.add(id(fd) + ": not named " + liveName + "-backfill");
        }
        // Deleting the backfill must never delete what the live job (or anything else) uses.
        for (JsonNode doc : backfill) {
            if (!name(doc).endsWith("-backfill")) {
                violations.add(id(doc) + ": a backfill's resources are all named *-backfill");
            }
        }
        // The same job, the way the environment runs it.
        for (String field : List.of("image", "flinkVersion")) {
            if (!text(fd.path("spec"), field).equals(text(live.path("spec"), field))) {
                violations.add(id(fd) + ": " + field + " is not the live job's");
            }
        }
        for (String field : List.of("jarURI", "entryClass")) {
            if (!text(fd.path("spec").path("job"), field)
                    .equals(text(live.path("spec").path("job"), field))) {
                violations.add(id(fd) + ": " + field + " is not the live job's");
            }
        }
        List<String> args = strings(fd.path("spec").path("job").path("args"));
        List<String> liveArgs = strings(live.path("spec").path("job").path("args"));
        if (args.size() < liveArgs.size() || !args.subList(0, liveArgs.size()).equals(liveArgs)) {
            violations.add(id(fd) + ": args do not start with the live job's " + liveArgs);
            return violations;
        }
        Map<String, List<String>> options = new LinkedHashMap<>();
        Set<String> known = Manifests.jobArgOptions();
        List<String> extra = args.subList(liveArgs.size(), args.size());
        for (int i = 0; i < extra.size(); i++) {
            String arg = extra.get(i);
            int eq = arg.indexOf('=');
            String option = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            if (!known.contains(option)) {
                violations.add(id(fd) + ": " + arg + " is not an option of JobArgs " + known);
                continue;
            }
            String value;
            if (option.equals(arg)) {
                if (i + 1 >= extra.size()) {
                    violations.add(id(fd) + ": " + option + " without a value");
                    continue;
                }
                value = extra.get(++i);
            } else {
                value = arg.substring(eq + 1);
            }
            options.computeIfAbsent(option, o -> new ArrayList<>()).add(value);
        }
        String from = last(options, "--from");
        String to = last(options, "--to");
        String suffix = last(options, "--output-topic-suffix");
        String execution = last(options, "--execution");
        if (from.isEmpty()) {
            violations.add(id(fd) + ": no --from (where the range starts)");
        }
        if (to.isEmpty() || to.equalsIgnoreCase("none")) {
            violations.add(id(fd) + ": no bounded --to (the backfill would never finish)");
        }
        if (!suffix.matches("[A-Za-z0-9._-]+")) {
            violations.add(
                    id(fd) + ": no --output-topic-suffix (it would write the live job's topics)");
        }
        if (!execution.isEmpty() && !execution.matches("(?i)streaming|batch")) {
            violations.add(
                    id(fd) + ": --execution " + execution + " is neither streaming nor batch");
        }
        Map<String, String> sets = new LinkedHashMap<>();
        Set<String> declared = Manifests.declaredConfigKeys(job);
        for (String setting : options.getOrDefault("--set", List.of())) {
            int eq = setting.indexOf('=');
            String key = eq > 0 ? setting.substring(0, eq).strip() : setting;
            sets.put(key, eq > 0 ? setting.substring(eq + 1).strip() : "");
            if (!key.startsWith("kafka.") && !key.startsWith("flink.") && !declared.contains(key)) {
                violations.add(id(fd) + ": --set " + key + " is a key the job does not declare");
            }
        }
        String group = sets.getOrDefault("source.group-id", "");
        if (group.isEmpty() || group.equals("tidemark-" + job)) {
            violations.add(
                    id(fd)
                            + ": no source.group-id of its own (it would commit offsets into the"
                            + " live job's group tidemark-"
                            + job
                            + ")");
        }
        // Its own copy of the config file.
        String liveConfig = configMapOf(live);
        String config = configMapOf(fd);
        if (config.equals(liveConfig) || find(backfill, "ConfigMap", config) == null) {
            violations.add(
                    id(fd) + ": does not mount its own ConfigMap (it mounts " + config + ")");
        }
        return violations;
    }

    private static String last(Map<String, List<String>> options, String option) {
        List<String> values = options.getOrDefault(option, List.of());
        return values.isEmpty() ? "" : values.get(values.size() - 1);
    }

    private static String configMapOf(JsonNode fd) {
        for (JsonNode v : fd.path("spec").path("podTemplate").path("spec").path("volumes")) {
            String configMap = text(v.path("configMap"), "name");
            if (!configMap.isEmpty()) {
                return configMap;
            }
        }
        return "";
    }

    static String id(JsonNode doc) {
        return Manifests.text(doc, "kind") + " " + name(doc);
    }
}
