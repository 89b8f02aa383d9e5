package io.tidemark.cli.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs a job jar on a session cluster through the REST API, the way the web UI's "Submit New Job"
 * does: upload, run {@code main} on the JobManager with the program arguments (optionally from a
 * savepoint), delete the uploaded copy (the job keeps its own in the blob store), and wait until
 * every task runs.
 */
public final class JobSubmitter {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final FlinkRest rest;

    public JobSubmitter(FlinkRest rest) {
        this.rest = rest;
    }

    /**
     * @param savepoint the savepoint to resume, or null to start empty
     * @param allowNonRestoredState whether the savepoint may hold state the job no longer has
     * @return the Flink job id, once every task runs
     */
    public String run(
            Path jar,
            String mainClass,
            List<String> args,
            String savepoint,
            boolean allowNonRestoredState) {
        String jarId = rest.uploadJar(jar);
        String jobId;
        try {
            jobId = rest.runJar(jarId, mainClass, args, savepoint, allowNonRestoredState);
        } finally {
            rest.deleteJar(jarId);
        }
        rest.awaitAllTasksRunning(jobId, START_TIMEOUT);
        return jobId;
    }

    /** A savepoint location as Flink reports it ({@code file:/…}) as a local path. */
    public static Path localPath(String location) {
        return location.startsWith("file:")
                ? Path.of(java.net.URI.create(location.replace("file:///", "file:/")))
                : Path.of(location);
    }
}
