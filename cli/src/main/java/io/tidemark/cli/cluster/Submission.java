package io.tidemark.cli.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What the CLI submitted under one job name: the job, its jar, its arguments and the Flink job id.
 * {@code upgrade} resumes the new version with the same arguments, so a job keeps its configuration
 * (topics, {@code job.name}, lateness bound) across upgrades unless told otherwise.
 *
 * @param job the Tidemark job ({@code sessionization}, ...)
 * @param jobName the configured {@code job.name}; Flink names the job {@code tidemark-<jobName>}
 * @param jar the job jar that runs
 * @param args the program arguments
 * @param jobId the Flink job id
 * @param savepoint the savepoint it was started from, or null
 */
public record Submission(
        String job, String jobName, Path jar, List<String> args, String jobId, String savepoint) {

    public Submission {
        args = List.copyOf(args);
    }

    public String flinkJobName() {
        return "tidemark-" + jobName;
    }

    public void writeTo(WorkDir workDir) {
        Properties props = new Properties();
        props.setProperty("job", job);
        props.setProperty("job.name", jobName);
        props.setProperty("jar", jar.toString());
        props.setProperty("job.id", jobId);
        if (savepoint != null) {
            props.setProperty("savepoint", savepoint);
        }
        for (int i = 0; i < args.size(); i++) {
            props.setProperty("arg." + i, args.get(i));
        }
        PropertiesFile.write(
                workDir.submission(jobName), props, "written by tidemark submit/upgrade");
    }

    /** The last submission under {@code jobName}, if the CLI made one from this work directory. */
    public static Optional<Submission> readFrom(WorkDir workDir, String jobName) {
        return PropertiesFile.read(workDir.submission(jobName)).map(Submission::of);
    }

    private static Submission of(Properties props) {
        List<String> args = new ArrayList<>();
        for (int i = 0; props.containsKey("arg." + i); i++) {
            args.add(props.getProperty("arg." + i));
        }
        return new Submission(
                props.getProperty("job"),
                props.getProperty("job.name"),
                Path.of(props.getProperty("jar")),
                args,
                props.getProperty("job.id"),
                props.getProperty("savepoint"));
    }
}
