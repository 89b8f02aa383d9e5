package io.tidemark.cli;

import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.statemigration.gate.SavepointGate;
import io.tidemark.statemigration.inspect.SavepointInspection;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tidemark savepoint inspect PATH}: what a savepoint holds, operator by operator. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Lists every operator with state in a savepoint: uid, parallelism, max parallelism,"
                    + " size, each state's name, kind and serializer; for keyed operators the"
                    + " number of keys, and the session windows held open per key."
        })
final class SavepointInspectCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "The savepoint directory.")
    Path savepoint;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(savepoint.resolve("_metadata"))) {
            throw CliOptions.invalid(
                    spec, savepoint + " is not a savepoint directory: it has no _metadata file");
        }
        Map<String, String> uids = new LinkedHashMap<>();
        for (TidemarkJob job : JobRegistry.all()) {
            uids.putAll(SavepointGate.knownUids(job));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(SavepointInspection.of(savepoint, uids).render());
        out.flush();
        return 0;
    }
}
