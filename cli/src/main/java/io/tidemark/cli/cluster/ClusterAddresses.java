package io.tidemark.cli.cluster;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the local cluster listens, written by {@code cluster up} and read by every command that
 * talks to it ({@code topics}, {@code submit}, {@code upgrade}, {@code jobs}, {@code report}).
 *
 * @param bootstrap the Kafka broker, {@code localhost:PORT}
 * @param restUrl Flink's REST API and web UI, {@code http://localhost:PORT}
 */
public record ClusterAddresses(String bootstrap, String restUrl) {

    public void writeTo(Path file) {
        Properties props = new Properties();
        props.setProperty("kafka.bootstrap.servers", bootstrap);
        props.setProperty("flink.rest.url", restUrl);
        PropertiesFile.write(file, props, "written by tidemark cluster up");
    }

    /** The addresses of the cluster running from {@code workDir}, empty when none was started. */
    public static Optional<ClusterAddresses> readFrom(WorkDir workDir) {
        return PropertiesFile.read(workDir.addresses())
                .map(
                        props ->
                                new ClusterAddresses(
                                        props.getProperty("kafka.bootstrap.servers"),
                                        props.getProperty("flink.rest.url")));
    }
}
