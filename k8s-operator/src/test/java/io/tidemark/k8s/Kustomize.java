package io.tidemark.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with the real kustomize: the one built into kubectl ({@code kubectl
 * kustomize DIR}), or a standalone kustomize ({@code kustomize build DIR}). The binary is the
 * system property {@code tidemark.kubectl}, which the pom points at the kubectl that
 * tools/fetch-kubectl.sh puts under target/.
 */
final class Kustomize {

    private static final Map<Path, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {}

    /** The rendered documents of a kustomization directory (cached: the files do not change). */
    static List<JsonNode> build(Path dir) {
        return RENDERED.computeIfAbsent(dir.toAbsolutePath().normalize(), Kustomize::run);
    }

    /** Renders without the cache, for directories that the tests modify. */
    static List<JsonNode> buildFresh(Path dir) {
        return run(dir.toAbsolutePath().normalize());
    }

    /** Renders and returns kustomize's error instead of failing, for expected failures. */
    static Result tryBuild(Path dir) {
        Path binary = binary();
        List<String> command =
                binary.getFileName().toString().startsWith("kustomize")
                        ? List.of(binary.toString(), "build", dir.toString())
                        : List.of(binary.toString(), "kustomize", dir.toString());
        try {
            Path stderr = Files.createTempFile("kustomize", ".err");
            try {
                Process process =
                        new ProcessBuilder(command)
                                .redirectError(stderr.toFile())
                                .redirectInput(
                                        ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                                .start();
                String out;
                try (InputStream in = process.getInputStream()) {
                    out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " timed out");
                }
                return new Result(process.exitValue(), out, Files.readString(stderr));
            } finally {
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> run(Path dir) {
        Result result = tryBuild(dir);
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    "kustomize could not render "
                            + Manifests.relative(dir)
                            + " (exit "
                            + result.exitCode()
                            + "):\n"
                            + result.stderr());
        }
        List<JsonNode> docs = Manifests.parseAll(result.stdout());
        if (docs.isEmpty()) {
            throw new AssertionError("kustomize rendered nothing for " + Manifests.relative(dir));
        }
        return docs;
    }

    static Path binary() {
        Path binary = Paths.get(Manifests.buildProperty("tidemark.kubectl"));
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(
                    "No kubectl at "
                            + binary
                            + ": the build puts one there (tools/fetch-kubectl.sh, phase"
                            + " generate-test-resources); or pass -Dtidemark.kubectl=/path/to/kubectl"
                            + " -Dtidemark.kubectl.fetch.skip=true");
        }
        return binary;
    }

    record Result(int exitCode, String stdout, String stderr) {}
}
