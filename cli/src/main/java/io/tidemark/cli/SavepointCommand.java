package io.tidemark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tidemark savepoint …}: look into savepoints and decide whether an upgrade is safe. */
@Command(
        name = "savepoint",
        mixinStandardHelpOptions = true,
        description = "Savepoint tools: check an upgrade, inspect, migrate, bootstrap.",
        subcommands = {
            SavepointCheckCommand.class,
            SavepointInspectCommand.class,
            SavepointMigrateCommand.class,
            SavepointBootstrapCommand.class
        })
final class SavepointCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "Missing subcommand: check, inspect, migrate or bootstrap");
    }
}
