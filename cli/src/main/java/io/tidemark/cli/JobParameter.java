package io.tidemark.cli;

import io.tidemark.common.runtime.job.TidemarkJob;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code JOB} parameter of every command that runs a job ({@code @Mixin}): its name, and the
 * job it names, failing as a usage error that lists the known jobs.
 */
final class JobParameter {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "JOB",
            completionCandidates = JobRegistry.Names.class,
            description = "The job: ${COMPLETION-CANDIDATES}.")
    String name;

    /** The job named; a usage error naming the known jobs otherwise. */
    TidemarkJob job() {
        try {
            return JobRegistry.byName(name);
        } catch (IllegalArgumentException e) {
            throw CliOptions.invalid(spec, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
