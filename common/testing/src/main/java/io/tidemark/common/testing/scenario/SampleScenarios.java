package io.tidemark.common.testing.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.schemas.AvroJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The hand-worked scenarios of one job: the folders under {@code sample-data/<job>/}, each holding
 * the input, the expected output and, where the job must reject records, {@code
 * expected-late.jsonl} / {@code expected-dlq.jsonl} (a missing file means the topic must stay
 * empty). Paths are relative to the job's module directory, the working directory of its tests.
 */
public final class SampleScenarios {

    /** The two envelope expectations of every scenario, in the order they are checked. */
    public static final List<String> ERROR_FILES =
            List.of("expected-late.jsonl", "expected-dlq.jsonl");

    private final Path root;
    private final EnvelopeReader envelopes;
    private final String inputFile;

    private SampleScenarios(Path root, EnvelopeReader envelopes, String inputFile) {
        this.root = root;
        this.envelopes = envelopes;
        this.inputFile = inputFile;
    }

    /**
     * The scenarios in {@code ../../sample-data/<job>}, whose error envelopes are compared as
     * {@code envelopes} reads them; each scenario folder is the job's input ({@code <role>.jsonl}
     * per input topic).
     */
    public static SampleScenarios of(String job, EnvelopeReader envelopes) {
        return new SampleScenarios(Path.of("../../sample-data", job), envelopes, null);
    }

    /** The same scenarios, whose input is the one file {@code name} in each folder. */
    public SampleScenarios readingInput(String name) {
        return new SampleScenarios(root, envelopes, name);
    }

    /** The folder of one scenario. */
    public Path dir(String scenario) {
        return root.resolve(scenario);
    }

    /** How the error envelopes and their expectations are read. */
    public EnvelopeReader envelopes() {
        return envelopes;
    }

    /** The scenario names (folder names), sorted. */
    public Stream<String> names() {
        try (Stream<Path> entries = Files.list(root)) {
            return entries
                    .filter(Files::isDirectory)
                    .map(dir -> dir.getFileName().toString())
                    .sorted()
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root.toAbsolutePath(), e);
        }
    }

    /**
     * Every scenario in both execution modes, as {@code {scenario, mode}} arguments for a
     * parameterized test: the expectations do not depend on the mode.
     */
    public Stream<Object[]> runs() {
        return names().flatMap(
                        scenario ->
                                Stream.of(
                                        new Object[] {scenario, ExecutionMode.STREAMING},
                                        new Object[] {scenario, ExecutionMode.BATCH}));
    }

    /**
     * Runs the real job over one scenario in {@code mode} on a broker of its own (STREAMING is
     * bounded at the offsets latest at start). {@code job} gives a fresh job for reading the inputs
     * and one for running.
     */
    public ScenarioRun run(Supplier<? extends TidemarkJob> job, String scenario, ExecutionMode mode)
            throws Exception {
        Path dir = dir(scenario);
        Path input = inputFile == null ? dir : dir.resolve(inputFile);
        var inputs = Replay.readInputs(job.get(), input);
        var result = FreshBroker.replay(job.get(), inputs, ReplayOptions.defaults().withMode(mode));
        return new ScenarioRun(scenario, mode, dir, envelopes, result);
    }

    /**
     * For each of {@link #ERROR_FILES}: its lines, which must equal themselves reduced to {@link
     * DlqEntry#canonical() canonical entries} sorted by position.
     */
    public List<Comparison> errorFilesCanonicalAndSorted(String scenario) {
        List<Comparison> comparisons = new ArrayList<>();
        for (String name : ERROR_FILES) {
            List<String> entries = lines(dir(scenario).resolve(name));
            comparisons.add(
                    new Comparison(
                            String.format(
                                    "%s/%s: canonical position lines, sorted", scenario, name),
                            entries,
                            envelopes.canonicalSorted(entries)));
        }
        return comparisons;
    }

    /** Non-blank lines of a file; none when the file does not exist. */
    public static List<String> lines(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }

    /** One JSON line parsed; {@link UncheckedIOException} when it is not JSON. */
    public static JsonNode json(String line) {
        try {
            return AvroJson.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
