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

    /** The shaded job jar the job module built ({@code tidemark-job-<job>-<version>-job.jar}). */
    public Path jobJar(String job) {
        Path target = root.resolve("jobs").resolve(job).resolve("target");
        try (var jars = Files.list(target)) {
            return jars.filter(p -> p.getFileName().toString().startsWith("tidemark-job-" + job))
                    .filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseThrow(() -> notBuilt(target, "jobs/" + job));
        } catch (java.io.IOException e) {
            throw notBuilt(target, "jobs/" + job);
        }
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
