package io.tidemark.cli;

import io.tidemark.cli.cluster.ClusterAddresses;
import io.tidemark.cli.cluster.WorkDir;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of every command that talks to a running cluster ({@code @Mixin}): where the local
 * cluster keeps its state, and the addresses, which default to the local cluster's.
 */
final class LocalClusterOptions {

    @Mixin ClusterCommand.WorkDirOption workDir;

    @Option(
            names = "--rest",
            paramLabel = "URL",
            description =
                    "Flink's REST API (default: the local cluster's, e.g. http://localhost:8081).")
    String rest;

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            description = "Kafka (default: the local cluster's broker).")
    String bootstrap;

    WorkDir workDir() {
        return workDir.resolve();
    }

    String restUrl() {
        return rest != null ? rest : localCluster().restUrl();
    }

    String bootstrap() {
        return bootstrap != null ? bootstrap : localCluster().bootstrap();
    }

    /**
     * The settings that make a job write its read model into the local cluster's PostgreSQL ({@code
     * sink.postgres.url}, {@code .user}); empty when the cluster runs without one or the job goes
     * to another cluster ({@code --rest}), which could not reach it.
     */
    Map<String, String> postgresSettings() {
        return rest != null ? Map.of() : localCluster().postgresSettings();
    }

    private ClusterAddresses localCluster() {
        return ClusterAddresses.readFrom(workDir())
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "no local cluster is running from "
                                                + workDir()
                                                + ": start one with tidemark cluster up, or pass"
                                                + " --rest and --bootstrap"));
    }
}
