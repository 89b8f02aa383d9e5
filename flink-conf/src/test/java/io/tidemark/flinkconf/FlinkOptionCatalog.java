package io.tidemark.flinkconf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.annotation.docs.Documentation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.DelegatingConfiguration;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.PortRange;

/**
 * Every configuration key that the Flink jars on the test classpath declare, found by reflection,
 * and a check of a loaded {@link Configuration} against them.
 *
 * <p>The keys come from the static {@link ConfigOption} fields of every {@code *Options} class
 * under {@code org.apache.flink} in every jar of the classpath (flink-core, flink-runtime,
 * flink-clients, the RocksDB backend, the Prometheus reporter, ...), with their fallback and
 * deprecated keys. A class that cannot be loaded (e.g. the files connector's table options, whose
 * table API is not on this classpath) is skipped; that can only make a key unknown, never make an
 * unknown key pass.
 *
 * <p>Keys that are templates are matched as patterns:
 *
 * <ul>
 *   <li>options whose key holds a placeholder ({@code external-resource.<resource_name>.amount});
 *   <li>options marked {@link Documentation.SuffixOption} with a placeholder prefix: the
 *       per-reporter options of {@code MetricOptions}, {@code TraceOptions} and {@code
 *       EventOptions} ({@code metrics.reporter.<name>.factory.class}, {@code .interval}, ...);
 *   <li>map-typed options written as prefixed keys ({@code pipeline.global-job-parameters.k: v}).
 * </ul>
 *
 * <p>The free-form {@code <parameter>} of a metric reporter is not accepted blindly: it must be a
 * parameter the reporter named by its {@code factory.class} reads ({@link #REPORTER_PARAMETERS}).
 */
final class FlinkOptionCatalog {

    /** What is wrong with one key of a configuration. */
    enum Kind {
        UNKNOWN_KEY,
        DEPRECATED_KEY,
        UNPARSABLE_VALUE
    }

    record Problem(Kind kind, String key, String detail) {
        @Override
        public String toString() {
            return kind + " " + key + ": " + detail;
        }
    }

    /** One option that declares a key, as its primary or fallback key. */
    private record Declared(ConfigOption<?> option, String declaredIn, boolean deprecated) {}

    /** One option whose key is a pattern (placeholder or suffix of a placeholder prefix). */
    private record Template(
            Pattern pattern, ConfigOption<?> option, String declaredIn, boolean suffixOption) {}

    private static final Pattern PLACEHOLDER = Pattern.compile("<[^>]+>");
    private static final Pattern REPORTER_KEY =
            Pattern.compile("(metrics|traces|events)\\.reporter\\.([^.]+)\\.(.+)");
    private static final String PROMETHEUS = "org.apache.flink.metrics.prometheus.";

    /**
     * The parameters (below {@code metrics.reporter.<name>.}) each reporter factory reads, with a
     * check of the value as the reporter parses it. The names are read from the reporter's jar, so
     * a renamed parameter breaks this test rather than the cluster.
     */
    private static final Map<String, Map<String, Consumer<String>>> REPORTER_PARAMETERS =
            reporterParameters();

    private final Map<String, List<Declared>> exact = new TreeMap<>();
    private final List<Template> templates = new ArrayList<>();
    private final Set<String> scannedClasses = new LinkedHashSet<>();
    private final Map<String, String> skippedClasses = new TreeMap<>();

    private FlinkOptionCatalog() {}

    /** Scans every jar of the test classpath. */
    static FlinkOptionCatalog ofTestClasspath() {
        FlinkOptionCatalog catalog = new FlinkOptionCatalog();
        for (Path jar : classpathJars()) {
            catalog.scanJar(jar);
        }
        return catalog;
    }

    Set<String> scannedClasses() {
        return Collections.unmodifiableSet(scannedClasses);
    }

    Map<String, String> skippedClasses() {
        return Collections.unmodifiableMap(skippedClasses);
    }

    int exactKeyCount() {
        return exact.size();
    }

    /** Whether {@code key} is a key Flink knows, and not only a deprecated one. */
    boolean isCurrentKey(String key) {
        List<Declared> declared = exact.get(key);
        return declared != null && declared.stream().anyMatch(d -> !d.deprecated());
    }

    /** Every unknown or deprecated key of {@code conf} and every value that does not parse. */
    List<Problem> check(Configuration conf) {
        List<Problem> problems = new ArrayList<>();
        for (String key : new TreeMap<>(conf.toMap()).keySet()) {
            checkKey(conf, key, problems);
        }
        return problems;
    }

    private void checkKey(Configuration conf, String key, List<Problem> problems) {
        List<Declared> declared = exact.get(key);
        if (declared != null) {
            if (declared.stream().allMatch(Declared::deprecated)) {
                problems.add(
                        new Problem(
                                Kind.DEPRECATED_KEY,
                                key,
                                "deprecated; use "
                                        + declared.stream().map(d -> d.option().key()).toList()));
            }
            for (Declared d : declared) {
                parse(key, () -> conf.get(d.option()), problems);
            }
            return;
        }
        for (Template t : templates) {
            if (t.pattern().matcher(key).matches()) {
                if (t.suffixOption()) {
                    String prefix = key.substring(0, key.length() - t.option().key().length());
                    parse(
                            key,
                            () -> new DelegatingConfiguration(conf, prefix).get(t.option()),
                            problems);
                } else {
                    parse(key, () -> conf.get(t.option().withFallbackKeys(key)), problems);
                }
                Matcher reporter = REPORTER_KEY.matcher(key);
                if (reporter.matches() && reporter.group(3).equals("factory.class")) {
                    String factory = conf.toMap().get(key);
                    parse(key, () -> checkReporterFactory(reporter.group(1), factory), problems);
                }
                return;
            }
        }
        for (Map.Entry<String, List<Declared>> e : exact.entrySet()) {
            if (key.startsWith(e.getKey() + ".")) {
                for (Declared d : e.getValue()) {
                    if (ConfigurationUtils.canBePrefixMap(d.option())) {
                        parse(key, () -> conf.get(d.option()), problems);
                        return;
                    }
                }
            }
        }
        Matcher reporter = REPORTER_KEY.matcher(key);
        if (reporter.matches()) {
            checkReporterParameter(conf, key, reporter, problems);
            return;
        }
        problems.add(new Problem(Kind.UNKNOWN_KEY, key, "no Flink option declares this key"));
    }

    private static void checkReporterParameter(
            Configuration conf, String key, Matcher reporter, List<Problem> problems) {
        String factoryKey = reporter.group(1) + ".reporter." + reporter.group(2) + ".factory.class";
        String factory = conf.toMap().get(factoryKey);
        Map<String, Consumer<String>> parameters = REPORTER_PARAMETERS.get(factory);
        if (parameters == null) {
            problems.add(
                    new Problem(
                            Kind.UNKNOWN_KEY,
                            key,
                            "reporter parameter, but the parameters of "
                                    + factoryKey
                                    + "="
                                    + factory
                                    + " are not known to this test"));
            return;
        }
        Consumer<String> parser = parameters.get(reporter.group(3));
        if (parser == null) {
            problems.add(
                    new Problem(
                            Kind.UNKNOWN_KEY,
                            key,
                            factory + " reads only " + new TreeMap<>(parameters).keySet()));
            return;
        }
        parse(key, () -> parser.accept(conf.toMap().get(key)), problems);
    }

    private static void parse(String key, Runnable get, List<Problem> problems) {
        try {
            get.run();
        } catch (RuntimeException e) {
            problems.add(new Problem(Kind.UNPARSABLE_VALUE, key, e.toString()));
        }
    }

    private static Map<String, Map<String, Consumer<String>>> reporterParameters() {
        try {
            // The pull reporter reads "port" (a port range) in its factory and the label filter
            // that AbstractPrometheusReporter.open reads from the push gateway's options.
            Class<?> factory = Class.forName(PROMETHEUS + "PrometheusReporterFactory");
            Field portField = factory.getDeclaredField("ARG_PORT");
            portField.setAccessible(true);
            Class<?> pushOptions =
                    Class.forName(PROMETHEUS + "PrometheusPushGatewayReporterOptions");
            ConfigOption<?> filter =
                    (ConfigOption<?>)
                            pushOptions.getField("FILTER_LABEL_VALUE_CHARACTER").get(null);
            Map<String, Consumer<String>> pull = new TreeMap<>();
            pull.put((String) portField.get(null), PortRange::new);
            pull.put(filter.key(), value -> typed(filter, value));

            Map<String, Consumer<String>> push = new TreeMap<>();
            for (ConfigOption<?> option : configOptions(pushOptions)) {
                push.put(option.key(), value -> typed(option, value));
            }
            return Map.of(
                    factory.getName(),
                    pull,
                    PROMETHEUS + "PrometheusPushGatewayReporterFactory",
                    push);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the Prometheus reporter's jar changed", e);
        }
    }

    /** Parses {@code value} as Flink parses {@code option}'s type. */
    private static void typed(ConfigOption<?> option, String value) {
        Configuration conf = new Configuration();
        conf.setString(option.key(), value);
        conf.get(option);
    }

    /** Checks a reporter's {@code factory.class}: it must load and be a reporter factory. */
    private static void checkReporterFactory(String family, String className) {
        Class<?> factory;
        try {
            factory = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(className + " is not on the classpath", e);
        }
        if (family.equals("metrics") && !MetricReporterFactory.class.isAssignableFrom(factory)) {
            throw new IllegalArgumentException(className + " is not a MetricReporterFactory");
        }
    }

    private void scanJar(Path jar) {
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(jarFile.entries())) {
                String name = entry.getName();
                if (name.startsWith("org/apache/flink/")
                        && !name.startsWith("org/apache/flink/shaded/")
                        && name.endsWith("Options.class")) {
                    scanClass(
                            name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    private void scanClass(String className) {
        Class<?> type;
        List<Field> fields = new ArrayList<>();
        try {
            type = Class.forName(className, false, FlinkOptionCatalog.class.getClassLoader());
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        && ConfigOption.class.isAssignableFrom(field.getType())) {
                    field.setAccessible(true);
                    field.get(null); // initialises the class: fails here if a dependency is missing
                    fields.add(field);
                }
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            skippedClasses.put(className, e.toString());
            return;
        }
        scannedClasses.add(className);
        Documentation.SuffixOption classSuffix =
                type.getAnnotation(Documentation.SuffixOption.class);
        boolean classDeprecated = type.isAnnotationPresent(Deprecated.class);
        for (Field field : fields) {
            ConfigOption<?> option;
            try {
                option = (ConfigOption<?>) field.get(null);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            String declaredIn = type.getSimpleName() + "." + field.getName();
            boolean deprecated = classDeprecated || field.isAnnotationPresent(Deprecated.class);
            Documentation.SuffixOption suffix =
                    field.getAnnotation(Documentation.SuffixOption.class);
            if (suffix == null) {
                suffix = classSuffix;
            }
            add(option, declaredIn, deprecated, suffix == null ? null : suffix.value());
        }
    }

    private void add(ConfigOption<?> option, String declaredIn, boolean deprecated, String prefix) {
        if (prefix != null) {
            // A suffix option below a literal prefix (the push gateway's "metrics.reporter
            // .prometheus") documents a reporter's parameters: REPORTER_PARAMETERS checks them.
            // One whose key is only a placeholder ("<parameter>") means "whatever the reporter
            // reads": checked the same way, not accepted blindly.
            if (PLACEHOLDER.matcher(prefix).find()
                    && !PLACEHOLDER.matcher(option.key()).matches()) {
                templates.add(
                        new Template(
                                templatePattern(prefix + "." + option.key()),
                                option,
                                declaredIn,
                                true));
            }
            return;
        }
        if (PLACEHOLDER.matcher(option.key()).find()) {
            templates.add(new Template(templatePattern(option.key()), option, declaredIn, false));
            return;
        }
        exact.computeIfAbsent(option.key(), k -> new ArrayList<>())
                .add(new Declared(option, declaredIn, deprecated));
        for (FallbackKey fallback : option.fallbackKeys()) {
            exact.computeIfAbsent(fallback.getKey(), k -> new ArrayList<>())
                    .add(new Declared(option, declaredIn, deprecated || fallback.isDeprecated()));
        }
    }

    /**
     * {@code external-resource.<resource_name>.amount} → {@code external-resource\.[^.]+\.amount}.
     */
    private static Pattern templatePattern(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("[^.]+");
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString());
    }

    private static List<ConfigOption<?>> configOptions(Class<?> type)
            throws IllegalAccessException {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && ConfigOption.class.isAssignableFrom(field.getType())) {
                field.setAccessible(true);
                options.add((ConfigOption<?>) field.get(null));
            }
        }
        return options;
    }

    /**
     * The jars of {@code java.class.path}, following {@code Class-Path} manifest entries: Surefire
     * starts the test JVM with a manifest-only jar that lists the real classpath.
     */
    static List<Path> classpathJars() {
        Set<Path> jars = new LinkedHashSet<>();
        Deque<Path> todo = new ArrayDeque<>();
        for (String entry :
                System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                todo.add(Path.of(entry).toAbsolutePath());
            }
        }
        while (!todo.isEmpty()) {
            Path path = todo.poll();
            if (!path.toString().endsWith(".jar")
                    || !Files.isRegularFile(path)
                    || !jars.add(path)) {
                continue;
            }
            try (JarFile jar = new JarFile(path.toFile())) {
                Manifest manifest = jar.getManifest();
                String classPath =
                        manifest == null
                                ? null
                                : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                if (classPath != null) {
                    URI base = path.toUri();
                    for (String ref : classPath.trim().split("\\s+")) {
                        todo.add(Path.of(base.resolve(ref)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        }
        return new ArrayList<>(jars);
    }
}
