package io.tidemark.cli.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkout the CLI runs from: where the local cluster finds its configuration ({@code
 * flink-conf/local}), its Flink jars ({@code flink-conf/target/lib}), the broker's jars (the CLI's
 * own {@code cli/target/lib}) and the job jars ({@code jobs/<job>/target}).
 */
public final class TidemarkHome {

    private static final String MARKER = "flink-conf/local/config.yaml";

    private final Path root;

    private TidemarkHome(Path root) {
        this.root = root;
    }

    /**
     * {@code TIDEMARK_HOME} (set by {@code bin/tidemark}), else the first directory upwards from
     * the working directory that holds {@code flink-conf/local/config.yaml}.
     */
    public static TidemarkHome locate() {
        String env = System.getenv("TIDEMARK_HOME");
        if (env != null && Files.exists(Path.of(env, MARKER))) {
            return new TidemarkHome(Path.of(env).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(MARKER))) {
                return new TidemarkHome(dir);
            }
        }
        throw new IllegalStateException(
                "cannot find the Tidemark checkout (no "
                        + MARKER
                        + " here or above, TIDEMARK_HOME unset): run bin/tidemark from the checkout");
    }

    public Path root() {
        return root;
    }

    /** The configuration directory of the local cluster ({@code config.yaml}, log4j). */
    public Path flinkConf() {
        return root.resolve("flink-conf/local");
    }

    /** The Flink distribution's jars, assembled from Maven by the flink-conf module. */
    public Path flinkLib() {
        return requireBuilt(root.resolve("flink-conf/target/lib"), "flink-conf");
    }

    /** The CLI's runtime jars; they hold the Kafka broker (kafka_2.13) the embedded broker uses. */
    public Path cliLib() {
        return requireBuilt(root.resolve("cli/target/lib"), "cli");
    }

    /**
     * The shaded job jar the job module built ({@code tidemark-job-<job>-<version>-job.jar}) at the
     * checkout's version: a target/ that outlived a version bump also holds the jars of older
     * versions, which must not be submitted in its place.
     */
    public Path jobJar(String job) {
        return jobJar(root, job);
    }

    static Path jobJar(Path root, String job) {
        Path module = root.resolve("jobs").resolve(job);
        Path target = module.resolve("target");
        Path jar = target.resolve("tidemark-job-" + job + "-" + version(module) + "-job.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar
                            + " is missing: build it with ./mvnw -B -DskipTests install -pl jobs/"
                            + job
                            + " -am");
        }
        return jar;
    }

    /** The module's version: the first {@code <version>} of its pom, its parent's. */
    private static String version(Path module) {
        Path pom = module.resolve("pom.xml");
        try {
            java.util.regex.Matcher version =
                    java.util.regex.Pattern.compile("<version>([^<]+)</version>")
                            .matcher(Files.readString(pom));
            if (version.find()) {
                return version.group(1).trim();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + pom, e);
        }
        throw new IllegalStateException("no <version> in " + pom);
    }

    private static Path requireBuilt(Path dir, String module) {
        if (!Files.isDirectory(dir)) {
            throw notBuilt(dir, module);
        }
        return dir;
    }

    private static IllegalStateException notBuilt(Path dir, String module) {
        return new IllegalStateException(
                dir
                        + " is missing: build it with ./mvnw -B -DskipTests install -pl "
                        + module
                        + " -am (bin/tidemark does this on first use)");
    }
}
