package io.tidemark.cli;

import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --input FILE|DIR} option of the commands that run a job over JSON Lines
 * ({@code @Mixin}), and reading it the way {@link Replay#readInputs} does.
 */
final class InputOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FILE|DIR",
            description =
                    "A JSON Lines file (jobs with one input) or a directory with <input>.jsonl per"
                            + " input topic.")
    Path path;

    /** The job's inputs, role → lines; a usage error when the file or a role's file is missing. */
    Map<String, List<String>> read(TidemarkJob job) {
        try {
            return Replay.readInputs(job, path);
        } catch (IllegalArgumentException e) {
            throw CliOptions.invalid(spec, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return String.valueOf(path);
    }
}
