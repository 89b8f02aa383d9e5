package io.tidemark.cli;

import io.tidemark.cli.cluster.ClusterAddresses;
import io.tidemark.cli.cluster.LocalCluster;
import io.tidemark.cli.cluster.TidemarkHome;
import io.tidemark.cli.cluster.WorkDir;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tidemark cluster up|status|down}: a real Kafka broker and Flink session cluster. */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = {
            "A local cluster of real processes: a Kafka broker (KRaft) and a Flink 2.2 standalone"
                    + " session cluster (one JobManager, one TaskManager) configured by"
                    + " flink-conf/local, and with --postgres a PostgreSQL for the read model."
                    + " Data, logs and pid files live in .tidemark/."
        },
        subcommands = {
            ClusterCommand.Up.class,
            ClusterCommand.Status.class,
            ClusterCommand.Down.class
        })
final class ClusterCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw CliOptions.invalid(spec, "Missing subcommand: up, status or down");
    }

    /** The work directory option of the three subcommands. */
    static final class WorkDirOption {
        @Option(
                names = "--work-dir",
                paramLabel = "DIR",
                description = "Working directory (default: .tidemark/ in the checkout).")
        Path workDir;

        WorkDir resolve() {
            return workDir != null
                    ? new WorkDir(workDir)
                    : WorkDir.defaultFor(TidemarkHome.locate());
        }
    }

    @Command(
            name = "up",
            mixinStandardHelpOptions = true,
            description =
                    "Starts the broker and Flink (and PostgreSQL with --postgres), waits until each"
                            + " answers, prints their addresses.")
    static final class Up implements Callable<Integer> {
        @Spec CommandSpec spec;

        @picocli.CommandLine.Mixin WorkDirOption workDir;

        @Option(
                names = "--kafka-port",
                defaultValue = "9092",
                description = "Default: ${DEFAULT-VALUE}.")
        int kafkaPort;

        @Option(
                names = "--controller-port",
                defaultValue = "9093",
                description = "The KRaft controller's port. Default: ${DEFAULT-VALUE}.")
        int controllerPort;

        @Option(
                names = "--rest-port",
                defaultValue = "8081",
                description = "Flink's REST API and web UI. Default: ${DEFAULT-VALUE}.")
        int restPort;

        @Option(
                names = "--rpc-port",
                defaultValue = "6123",
                description = "The JobManager's RPC port. Default: ${DEFAULT-VALUE}.")
        int rpcPort;

        @Option(
                names = "--slots",
                defaultValue = "6",
                description =
                        "Task slots of the TaskManager (the three jobs at parallelism 2 need 6)."
                                + " Default: ${DEFAULT-VALUE}.")
        int slots;

        @Option(
                names = "--postgres",
                description =
                        "Also start a PostgreSQL for the read model (from Maven artifacts, user"
                                + " postgres, no password, data in <work dir>/postgres/data): jobs"
                                + " submitted to the cluster write their tables into it, and"
                                + " tidemark query/db use it by default.")
        boolean postgres;

        @Option(
                names = "--postgres-port",
                defaultValue = "5432",
                description = "PostgreSQL's port with --postgres. Default: ${DEFAULT-VALUE}.")
        int postgresPort;

        @Override
        public Integer call() {
            CliOptions.atLeast(spec, "--slots", slots, 1);
            for (int port :
                    new int[] {kafkaPort, controllerPort, restPort, rpcPort, postgresPort}) {
                if (port < 1 || port > 65535) {
                    throw CliOptions.invalid(spec, "ports are 1..65535, not " + port);
                }
            }
            WorkDir dir = workDir.resolve();
            LocalCluster.Ports ports =
                    new LocalCluster.Ports(kafkaPort, controllerPort, restPort, rpcPort, slots);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "Starting %s in %s ...%n",
                    postgres ? "PostgreSQL, Kafka and Flink" : "Kafka and Flink", dir.root());
            out.flush();
            ClusterAddresses addresses =
                    new LocalCluster(
                                    TidemarkHome.locate(),
                                    dir,
                                    ports,
                                    postgres ? OptionalInt.of(postgresPort) : OptionalInt.empty())
                            .up();
            out.printf("Kafka broker:  %s%n", addresses.bootstrap());
            out.printf("Flink web UI:  %s (%d slots)%n", addresses.restUrl(), slots);
            if (addresses.postgresUrl() != null) {
                out.printf(
                        "PostgreSQL:    %s (user postgres, no password; jobs submitted here write"
                                + " their read model into it)%n",
                        addresses.postgresUrl());
            }
            out.printf("Logs:          %s%n", dir.logs());
            out.println(
                    "Next: tidemark topics create; tidemark submit <job>; tidemark cluster down");
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "Prints each process with its pid, and the addresses. Exit 0 when all run.")
    static final class Status implements Callable<Integer> {
        @Spec CommandSpec spec;

        @picocli.CommandLine.Mixin WorkDirOption workDir;

        @Override
        public Integer call() {
            WorkDir dir = workDir.resolve();
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Optional<Long>> status = LocalCluster.at(dir).status();
            status.forEach(
                    (name, pid) ->
                            out.printf(
                                    "%-12s %s%n",
                                    name,
                                    pid.map(p -> "running (pid " + p + ")").orElse("stopped")));
            ClusterAddresses.readFrom(dir)
                    .ifPresent(
                            a -> {
                                out.printf(
                                        "Kafka broker: %s%nFlink web UI: %s%n",
                                        a.bootstrap(), a.restUrl());
                                if (a.postgresUrl() != null) {
                                    out.printf("PostgreSQL:   %s%n", a.postgresUrl());
                                }
                            });
            out.flush();
            return status.values().stream().allMatch(Optional::isPresent) ? 0 : 1;
        }
    }

    @Command(
            name = "down",
            mixinStandardHelpOptions = true,
            description =
                    "Stops the processes cluster up started (by their pid files); keeps data and logs.")
    static final class Down implements Callable<Integer> {
        @Spec CommandSpec spec;

        @picocli.CommandLine.Mixin WorkDirOption workDir;

        @Option(
                names = "--purge",
                description =
                        "Also delete the working directory (topics, checkpoints, savepoints, logs).")
        boolean purge;

        @Override
        public Integer call() throws Exception {
            WorkDir dir = workDir.resolve();
            List<String> stopped = LocalCluster.at(dir).down();
            PrintWriter out = spec.commandLine().getOut();
            out.println(
                    stopped.isEmpty()
                            ? "Nothing was running."
                            : "Stopped " + String.join(", ", stopped) + ".");
            if (purge) {
                org.apache.flink.util.FileUtils.deleteDirectory(dir.root().toFile());
                out.println("Deleted " + dir.root());
            }
            out.flush();
            return 0;
        }
    }
}
