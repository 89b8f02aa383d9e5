package io.tidemark.cli;

import io.tidemark.cli.cluster.ClusterAddresses;
import io.tidemark.cli.cluster.WorkDir;
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
