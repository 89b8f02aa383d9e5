package io.tidemark.bench;

import io.tidemark.bench.probe.ResultLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One variant run in its own JVM: the classpath of its module ({@code target/classes} and {@code
 * target/lib}), the same heap for every variant, stdout and stderr in the work dir. The variant
 * measures itself and prints one {@link ResultLine}; this reads it back.
 *
 * @param name label in the report, e.g. {@code tidemark/rocksdb}
 * @param module the benchmarks module whose classpath the JVM gets, e.g. {@code harness}
 * @param mainClass the variant's main class
 * @param args its arguments
 */
public record VariantRun(String name, String module, String mainClass, List<String> args) {

    /** Every variant JVM gets the same heap and collector, and the opens Flink needs on Java 17. */
    static final List<String> JVM =
            List.of(
                    "-Xms1g",
                    "-Xmx1g",
                    "-XX:+UseG1GC",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED");

    /**
     * Runs the variant and returns its result line's fields.
     *
     * @throws IllegalStateException naming the log when the JVM fails, times out or prints no
     *     result
     */
    public Map<String, Object> run(Path root, Path workDir, long timeoutSeconds)
            throws IOException, InterruptedException {
        Process process = start(root, workDir);
        Path stdout = log(workDir, ".out");
        Path stderr = log(workDir, ".log");
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(
                    name + " did not finish within " + timeoutSeconds + " s; see " + stderr);
        }
        for (String line : Files.readAllLines(stdout)) {
            Map<String, Object> result = ResultLine.parse(line);
            if (result != null) {
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue());
                }
                return result;
            }
        }
        if (process.exitValue() == 0) {
            return Map.of(); // a preparation step: it measures nothing
        }
        throw new IllegalStateException(
                name + " exited with " + process.exitValue() + "; see " + stderr);
    }

    /** Starts the variant's JVM in the background; its output goes to {@link #log} files. */
    public Process start(Path root, Path workDir) throws IOException {
        Path moduleDir = root.resolve("benchmarks").resolve(module).resolve("target");
        if (!Files.isDirectory(moduleDir.resolve("lib"))) {
            throw new IllegalStateException(
                    moduleDir.resolve("lib")
                            + " is missing: build the benchmarks first (bin/tidemark bench does)");
        }
        String classpath =
                moduleDir.resolve("classes")
                        + java.io.File.pathSeparator
                        + moduleDir.resolve("lib")
                        + "/*";
        Path logs = Files.createDirectories(workDir.resolve("logs"));
        String file = name.replaceAll("[^A-Za-z0-9.-]", "_");
        Path stdout = logs.resolve(file + ".out");
        Path stderr = logs.resolve(file + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM);
        if (Boolean.getBoolean("tidemark.bench.profile")) {
            // JFR's profile settings: method samples and allocations, for finding what to make
            // faster.
            command.add(
                    "-XX:StartFlightRecording=settings=profile,filename="
                            + logs.resolve(file + ".jfr"));
        }
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
    }

    /** The file the JVM writes its stdout ({@code .out}) or stderr ({@code .log}) to. */
    Path log(Path workDir, String suffix) {
        return workDir.resolve("logs").resolve(name.replaceAll("[^A-Za-z0-9.-]", "_") + suffix);
    }
}
