package io.tidemark.cli;

import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.postgres.PostgresConfig;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark demo}: every job over each of its sample scenarios, each on a fresh embedded
 * Kafka broker and a local Flink MiniCluster; prints what was committed and whether it equals the
 * hand-worked expected output.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs every job on its sample data (sample-data/<job>/<scenario>/input.jsonl) against"
                    + " an embedded Kafka broker and a local Flink MiniCluster, prints the results"
                    + " and compares them with the hand-worked expected.jsonl."
        })
final class DemoCommand implements Callable<Integer> {

    static final String SAMPLE_DATA = "sample-data";
    private static final int MAX_ROWS = 12;

    /** The scenario whose results are shown, when a job has one of that name. */
    private static final String SHOWCASE = "in-order";

    @Spec CommandSpec spec;

    @Option(
            names = "--output",
            defaultValue = "out/demo",
            paramLabel = "DIR",
            description = "Where to write each scenario's outputs (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(
            names = "--job",
            paramLabel = "JOB",
            completionCandidates = JobRegistry.Names.class,
            description = "Only this job (default: all: ${COMPLETION-CANDIDATES}).")
    String onlyJob;

    @Option(
            names = "--postgres",
            description =
                    "Also write the jobs' PostgreSQL read model: a local PostgreSQL (from Maven"
                            + " artifacts) with a fresh database per scenario, each scenario's"
                            + " tables compared with what it committed to Kafka, and the revenue"
                            + " table read back with its SQL; PostgreSQL stops at the end.")
    boolean postgres;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path samples = sampleData();
        List<TidemarkJob> jobs =
                onlyJob == null ? JobRegistry.all() : List.of(JobRegistry.byName(onlyJob));
        if (!postgres) {
            return run(out, samples, jobs, null);
        }
        out.println("Starting PostgreSQL for the read model ...");
        out.flush();
        DemoReadModel readModel = DemoReadModel.start();
        try {
            out.printf(
                    "PostgreSQL: %s, a fresh database per scenario (<job>_<scenario>); stopped at"
                            + " the end%n",
                    readModel.serverUrl());
            out.flush();
            return run(out, samples, jobs, readModel);
        } finally {
            readModel.close();
            out.println("PostgreSQL stopped.");
            out.flush();
        }
    }

    /** The demo; {@code readModel} is null without {@code --postgres}. */
    private int run(PrintWriter out, Path samples, List<TidemarkJob> jobs, DemoReadModel readModel)
            throws Exception {
        int mismatches = 0;
        for (TidemarkJob job : jobs) {
            List<Path> scenarios = scenarios(samples.resolve(job.name()));
            out.printf(
                    "%n== %s: %d scenarios from %s ==%n",
                    job.name(), scenarios.size(), samples.resolve(job.name()));
            out.printf("%-32s %-34s %s%n", "SCENARIO", "COMMITTED", "EXPECTED");
            out.flush();
            ReplayResult showcase = null;
            String showcaseName = null;
            PostgresConfig showcaseDatabase = null;
            for (Path scenario : scenarios) {
                String name = scenario.getFileName().toString();
                PostgresConfig database =
                        readModel == null ? null : readModel.createDatabase(job.name(), name);
                ReplayResult result = replay(job, scenario, database);
                result.writeTo(output.resolve(job.name()).resolve(scenario.getFileName()));
                String check = compare(scenario, result);
                boolean differs = check.startsWith("DIFFERS");
                if (database != null) {
                    String tables = DemoReadModel.compare(job.name(), database, result);
                    differs |= tables.contains("DIFFERS");
                    check += "; " + tables;
                }
                if (differs) {
                    mismatches++;
                }
                out.printf("%-32s %-34s %s%n", name, counts(result), check);
                out.flush();
                if (showcase == null || name.equals(SHOWCASE)) {
                    showcase = result;
                    showcaseName = name;
                    showcaseDatabase = database;
                }
            }
            if (showcase != null) {
                out.printf("%nResults of %s:%n", showcaseName);
                ResultTables.print(out, showcase, MAX_ROWS);
                if (showcaseDatabase != null && DemoReadModel.hasRevenue(job.name())) {
                    out.printf(
                            "%nRevenue of %s read back from PostgreSQL (%s):%n",
                            showcaseName, showcaseDatabase.url());
                    DemoReadModel.printRevenue(out, showcaseDatabase, MAX_ROWS);
                }
            }
            out.printf("Outputs: %s/%n", output.resolve(job.name()).toAbsolutePath().normalize());
        }
        out.println();
        out.println(
                mismatches == 0
                        ? "Every scenario committed exactly its expected output"
                                + (readModel == null
                                        ? "."
                                        : ", and its PostgreSQL tables hold the same rows.")
                        : mismatches
                                + " scenario(s) differ from their expected output"
                                + (readModel == null ? "." : " or their read model."));
        out.flush();
        return mismatches == 0 ? 0 : 1;
    }

    /** Runs the scenario; with a database, the job also writes its read model into it. */
    private static ReplayResult replay(TidemarkJob job, Path scenario, PostgresConfig database)
            throws Exception {
        Map<String, List<String>> inputs = Replay.readInputs(job, scenario);
        ReplayOptions options = ReplayOptions.defaults();
        if (database != null) {
            options = options.withOverrides(DemoReadModel.settings(database));
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            return Replay.run(job, inputs, options, kafka);
        }
    }

    private static String counts(ReplayResult result) {
        StringBuilder text = new StringBuilder();
        result.outputs()
                .forEach(
                        (role, lines) ->
                                text.append(lines.size()).append(' ').append(role).append(", "));
        return text.append(result.late().size())
                .append(" late, ")
                .append(result.dlq().size())
                .append(" dlq")
                .toString();
    }

    /** Compares the committed output with expected*.jsonl next to the input, when present. */
    private static String compare(Path scenario, ReplayResult result) {
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, List<String>> output : result.outputs().entrySet()) {
            String suffix =
                    output.getKey().equals("output") ? "" : output.getKey().replace("output", "");
            Path expected = scenario.resolve("expected" + suffix + ".jsonl");
            if (!Files.exists(expected)) {
                continue;
            }
            if (!readNonBlank(expected).equals(output.getValue())) {
                return "DIFFERS from " + expected.getFileName();
            }
            checked.add(expected.getFileName().toString());
        }
        return checked.isEmpty() ? "(no expected file)" : "matches " + String.join(", ", checked);
    }

    private Path sampleData() {
        Path local = Path.of(SAMPLE_DATA);
        if (Files.isDirectory(local)) {
            return local;
        }
        String home = System.getenv("TIDEMARK_HOME");
        if (home != null && Files.isDirectory(Path.of(home, SAMPLE_DATA))) {
            return Path.of(home, SAMPLE_DATA);
        }
        throw CliOptions.invalid(
                spec, "no " + SAMPLE_DATA + "/ here or in TIDEMARK_HOME: run from the checkout");
    }

    /** Scenario folders (holding an input) in name order. */
    private static List<Path> scenarios(Path jobSamples) throws IOException {
        if (!Files.isDirectory(jobSamples)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(jobSamples)) {
            return dirs.filter(Files::isDirectory)
                    .filter(d -> d.toFile().list((dir, name) -> name.endsWith(".jsonl")).length > 0)
                    .sorted()
                    .toList();
        }
    }

    private static List<String> readNonBlank(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
