package io.tidemark.cli.cluster;

import io.tidemark.common.local.postgres.LocalPostgres;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the local cluster listens, written by {@code cluster up} and read by every command that
 * talks to it ({@code topics}, {@code submit}, {@code upgrade}, {@code jobs}, {@code report},
 * {@code query}, {@code db}).
 *
 * @param bootstrap the Kafka broker, {@code localhost:PORT}
 * @param restUrl Flink's REST API and web UI, {@code http://localhost:PORT}
 * @param postgresUrl the PostgreSQL read model's JDBC URL when the cluster was started with {@code
 *     --postgres}, else {@code null}
 */
public record ClusterAddresses(String bootstrap, String restUrl, String postgresUrl) {

    private static final String POSTGRES_URL = "sink.postgres.url";
    private static final String POSTGRES_USER = "sink.postgres.user";

    /** A cluster without PostgreSQL. */
    public ClusterAddresses(String bootstrap, String restUrl) {
        this(bootstrap, restUrl, null);
    }

    /**
     * The job settings that write the read model into the cluster's PostgreSQL ({@code
     * sink.postgres.url} and {@code .user}); empty when the cluster has none.
     */
    public Map<String, String> postgresSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (postgresUrl != null) {
            settings.put(POSTGRES_URL, postgresUrl);
            settings.put(POSTGRES_USER, LocalPostgres.USER);
        }
        return settings;
    }

    public void writeTo(Path file) {
        Properties props = new Properties();
        props.setProperty("kafka.bootstrap.servers", bootstrap);
        props.setProperty("flink.rest.url", restUrl);
        postgresSettings().forEach(props::setProperty);
        PropertiesFile.write(file, props, "written by tidemark cluster up");
    }

    /** The addresses of the cluster running from {@code workDir}, empty when none was started. */
    public static Optional<ClusterAddresses> readFrom(WorkDir workDir) {
        return PropertiesFile.read(workDir.addresses())
                .map(
                        props ->
                                new ClusterAddresses(
                                        props.getProperty("kafka.bootstrap.servers"),
                                        props.getProperty("flink.rest.url"),
                                        props.getProperty(POSTGRES_URL)));
    }
}
