package io.tidemark.cli;

import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.statemigration.migrate.LatenessStateMigration;
import io.tidemark.statemigration.migrate.SavepointMigration;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark savepoint migrate PATH --to NEW_PATH [--rename-uid old=new]… [--lateness-state
 * JOB]}: a new savepoint whose state belongs to renamed operators, and/or whose keyed lateness
 * classifier state (0.2.0 and earlier) is moved to the chained classifier of 0.3.0. Other state
 * changes Flink cannot evolve by itself are written in Java with {@code SavepointMigration.replace}
 * (see docs/operations.md).
 */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a new savepoint from PATH with operator uids renamed, or with the lateness"
                    + " classifier state of 0.2.0 and earlier moved to 0.3.0's (the State"
                    + " Processor API, in BATCH). PATH is never modified. Check the result with"
                    + " `tidemark savepoint check` before resuming it."
        })
final class SavepointMigrateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "The savepoint to migrate.")
    Path savepoint;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "NEW_PATH",
            description = "Where to write the new savepoint; must not exist.")
    Path target;

    @Option(
            names = "--rename-uid",
            paramLabel = "OLD=NEW",
            description = "Move the state of operator OLD to operator NEW (repeatable).")
    Map<String, String> renames = new LinkedHashMap<>();

    @Option(
            names = "--lateness-state",
            paramLabel = "JOB",
            completionCandidates = JobRegistry.Names.class,
            description =
                    "Move JOB's keyed lateness classifier state (<job>.classify.<input>, 0.2.0 and"
                            + " earlier) to the classifier chained to the source"
                            + " (<job>.lateness.<input>, 0.3.0): needed once to resume an old"
                            + " savepoint with 0.3.0. Jobs: ${COMPLETION-CANDIDATES}.")
    String latenessJob;

    @Override
    public Integer call() throws Exception {
        if (renames.isEmpty() && latenessJob == null) {
            throw CliOptions.invalid(
                    spec, "nothing to migrate: give --rename-uid or --lateness-state");
        }
        SavepointMigration migration;
        List<LatenessStateMigration.Move> moves = List.of();
        try {
            Path source = savepoint.toAbsolutePath();
            migration = SavepointMigration.from(source);
            renames.forEach(migration::renameUid);
            if (latenessJob != null) {
                TidemarkJob job = JobRegistry.byName(latenessJob);
                moves = LatenessStateMigration.addTo(migration, job, source);
                if (moves.isEmpty()) {
                    throw new IllegalArgumentException(
                            "--lateness-state "
                                    + latenessJob
                                    + ": "
                                    + savepoint
                                    + " holds no keyed lateness classifier state of "
                                    + latenessJob
                                    + " (a savepoint of 0.3.0 or later, or of another job)");
                }
            }
        } catch (IllegalArgumentException e) {
            throw CliOptions.invalid(spec, e.getMessage());
        }
        migration.writeTo(target.toAbsolutePath());
        PrintWriter out = spec.commandLine().getOut();
        out.println(
                "Wrote "
                        + target.toAbsolutePath().normalize()
                        + (renames.isEmpty() ? "" : " (renamed " + renames + ")")
                        + moves.stream()
                                .map(m -> " (moved " + m.fromUid() + " -> " + m.toUid() + ")")
                                .collect(Collectors.joining()));
        out.flush();
        return 0;
    }
}
