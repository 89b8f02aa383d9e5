package io.tidemark.cli.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
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
        try (Writer out = Files.newBufferedWriter(file)) {
            props.store(out, "written by tidemark cluster up");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The addresses of the cluster running from {@code workDir}, empty when none was started. */
    public static Optional<ClusterAddresses> readFrom(WorkDir workDir) {
        Path file = workDir.addresses();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return Optional.of(
                new ClusterAddresses(
                        props.getProperty("kafka.bootstrap.servers"),
                        props.getProperty("flink.rest.url")));
    }
}
