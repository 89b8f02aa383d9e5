package io.tidemark.cli;

import io.tidemark.statemigration.migrate.SavepointMigration;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark savepoint migrate PATH --to NEW_PATH --rename-uid old=new}: a new savepoint whose
 * state belongs to renamed operators. State changes Flink cannot evolve by itself are written in
 * Java with {@code SavepointMigration.replace} (see docs/operations.md).
 */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a new savepoint from PATH with operator uids renamed (the State Processor"
                    + " API, in BATCH). PATH is never modified. Check the result with"
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
            required = true,
            paramLabel = "OLD=NEW",
            description = "Move the state of operator OLD to operator NEW (repeatable).")
    Map<String, String> renames = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        SavepointMigration migration;
        try {
            migration = SavepointMigration.from(savepoint.toAbsolutePath());
            renames.forEach(migration::renameUid);
        } catch (IllegalArgumentException e) {
            throw CliOptions.invalid(spec, e.getMessage());
        }
        migration.writeTo(target.toAbsolutePath());
        PrintWriter out = spec.commandLine().getOut();
        out.println("Wrote " + target.toAbsolutePath().normalize() + " (renamed " + renames + ")");
        out.flush();
        return 0;
    }
}
