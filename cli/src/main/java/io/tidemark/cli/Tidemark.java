package io.tidemark.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code tidemark} command line. */
@Command(
        name = "tidemark",
        mixinStandardHelpOptions = true,
        versionProvider = Tidemark.Version.class,
        description = "Deterministic event-time processing on Apache Flink: tools and demo.",
        subcommands = {
            GenerateCommand.class,
            LoadCommand.class,
            HeartbeatCommand.class,
            ReplayCommand.class,
            BackfillCommand.class,
            VerifyDeterminismCommand.class,
            SavepointCommand.class,
            ClusterCommand.class,
            TopicsCommand.class,
            SubmitCommand.class,
            UpgradeCommand.class,
            JobsCommand.class,
            ReportCommand.class,
            QueryCommand.class,
            DbCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Tidemark implements Runnable {

    @Spec CommandSpec spec;

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run it in-process with their own out/err writers. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Tidemark());
        commandLine.setExecutionExceptionHandler(Tidemark::reportError);
        return commandLine;
    }

    @Override
    public void run() {
        // Without a subcommand there is nothing to do but explain.
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "Missing subcommand: one of " + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * Errors while a command runs: a one-line message, since users of a tool want the cause, not
     * the call stack; {@code --verbose} adds the stack trace.
     */
    private static int reportError(Exception e, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getColorScheme().errorText("tidemark: " + describe(e)));
        if (isVerbose(parseResult)) {
            e.printStackTrace(err);
        } else {
            err.println("(run with --verbose for details)");
        }
        err.flush();
        return 1;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if ((message == null || message.isBlank()) && cause != null) {
            return describe(cause);
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static boolean isVerbose(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** The version Maven wrote into the jar, or "development build" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws Exception {
            Properties props = new Properties();
            try (InputStream in =
                    Tidemark.class.getResourceAsStream(
                            "/META-INF/maven/io.tidemark/tidemark-cli/pom.properties")) {
                if (in != null) {
                    props.load(in);
                }
            }
            return new String[] {"tidemark " + props.getProperty("version", "development build")};
        }
    }
}
