package io.tidemark.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local cluster's working directory ({@code .tidemark/} in the checkout, git-ignored): Kafka's
 * log directory, Flink's checkpoints, savepoints and RocksDB files, PostgreSQL's data directory,
 * every process's log and pid file, and the cluster's addresses.
 */
public record WorkDir(Path root) {

    public WorkDir {
        root = root.toAbsolutePath().normalize();
    }

    /** {@code <checkout>/.tidemark}. */
    public static WorkDir defaultFor(TidemarkHome home) {
        return new WorkDir(home.root().resolve(".tidemark"));
    }

    public Path kafkaData() {
        return root.resolve("kafka/data");
    }

    public Path kafkaConfig() {
        return root.resolve("kafka/server.properties");
    }

    public Path checkpoints() {
        return root.resolve("flink/checkpoints");
    }

    public Path savepoints() {
        return root.resolve("flink/savepoints");
    }

    public Path rocksdb() {
        return root.resolve("flink/rocksdb");
    }

    public Path flinkTmp() {
        return root.resolve("flink/tmp");
    }

    public Path uploads() {
        return root.resolve("flink/uploads");
    }

    /** The local cluster's PostgreSQL data directory (created by the server on first start). */
    public Path postgresData() {
        return root.resolve("postgres/data");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path log(String process) {
        return logs().resolve(process + ".log");
    }

    public Path pid(String process) {
        return root.resolve("pids").resolve(process + ".pid");
    }

    /** Where the running cluster's addresses are written ({@link ClusterAddresses}). */
    public Path addresses() {
        return root.resolve("cluster.properties");
    }

    /** One record per job submitted through the CLI ({@link Submission}). */
    public Path submission(String jobName) {
        return root.resolve("jobs").resolve(jobName + ".properties");
    }

    /** Creates every directory the processes write to. */
    public void create() {
        for (Path dir :
                new Path[] {
                    kafkaData(),
                    checkpoints(),
                    savepoints(),
                    rocksdb(),
                    flinkTmp(),
                    uploads(),
                    logs(),
                    postgresData().getParent(),
                    root.resolve("pids"),
                    root.resolve("jobs")
                }) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
