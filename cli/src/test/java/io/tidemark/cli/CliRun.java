package io.tidemark.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code tidemark} command line in-process, its output and errors captured. */
final class CliRun {

    private CliRun() {}

    /** Runs {@code args}; returns the exit code. */
    static int execute(StringWriter out, StringWriter err, String... args) {
        CommandLine commandLine = Tidemark.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
