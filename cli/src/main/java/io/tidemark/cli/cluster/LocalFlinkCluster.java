package io.tidemark.cli.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A real Flink standalone session cluster: one JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and one TaskManager ({@code TaskManagerRunner}), each a JVM
 * started from the Flink jars in {@code flink-conf/target/lib} with {@code flink-conf/local} as its
 * configuration directory. What Flink's start scripts add, this class adds: the JVM memory flags
 * and the derived memory sizes {@code BashJavaUtils} computes, the {@code
 * env.java.default-opts.all} flags, and the log file. The state directories point into the work
 * directory.
 */
final class LocalFlinkCluster {

    static final String JOBMANAGER = "jobmanager";
    static final String TASKMANAGER = "taskmanager";

    private final TidemarkHome home;
    private final WorkDir workDir;
    private final int restPort;
    private final int rpcPort;
    private final int slots;

    LocalFlinkCluster(TidemarkHome home, WorkDir workDir, int restPort, int rpcPort, int slots) {
        this.home = home;
        this.workDir = workDir;
        this.restPort = restPort;
        this.rpcPort = rpcPort;
        this.slots = slots;
    }

    String restUrl() {
        return "http://localhost:" + restPort;
    }

    /**
     * What this cluster sets on top of {@code flink-conf/local/config.yaml}: its ports and slots,
     * and state, temporary and upload directories inside the work directory.
     */
    Map<String, String> dynamicProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("rest.port", Integer.toString(restPort));
        props.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        props.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
        props.put("execution.checkpointing.dir", workDir.checkpoints().toUri().toString());
        props.put("execution.checkpointing.savepoint-dir", workDir.savepoints().toUri().toString());
        props.put("state.backend.rocksdb.localdir", workDir.rocksdb().toString());
        props.put("io.tmp.dirs", workDir.flinkTmp().toString());
        props.put("web.upload.dir", workDir.uploads().toString());
        props.put("web.tmpdir", workDir.flinkTmp().toString());
        return props;
    }

    ManagedProcess jobManager() {
        return new ManagedProcess(JOBMANAGER, workDir);
    }

    ManagedProcess taskManager() {
        return new ManagedProcess(TASKMANAGER, workDir);
    }

    void start() {
        Configuration conf = configuration();
        // What BashJavaUtils prints for Flink's scripts: JVM memory flags, derived memory sizes.
        JobManagerProcessSpec jm = JobManagerProcessUtils.processSpecFromConfig(conf);
        start(
                jobManager(),
                conf,
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                JobManagerProcessUtils.generateJvmParametersStr(jm, conf),
                JobManagerProcessUtils.generateDynamicConfigsStr(jm));
        TaskExecutorProcessSpec tm = TaskExecutorProcessUtils.processSpecFromConfig(conf);
        start(
                taskManager(),
                conf,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                ProcessMemoryUtils.generateJvmParametersStr(tm),
                TaskExecutorProcessUtils.generateDynamicConfigsStr(tm));
    }

    private void start(
            ManagedProcess process,
            Configuration conf,
            String mainClass,
            String memoryJvmArgs,
            String memoryDynamicConfigs) {
        List<String> jvm = new ArrayList<>(split(memoryJvmArgs));
        jvm.addAll(commonJvmArgs(conf, process.name()));
        List<String> args = new ArrayList<>(List.of("--configDir", home.flinkConf().toString()));
        args.addAll(dynamicArgs());
        args.addAll(split(memoryDynamicConfigs));
        process.start(jvm, home.flinkLib() + "/*", mainClass, args);
    }

    /** Waits until the REST API answers and the TaskManager has registered its slots. */
    void awaitReady(Duration timeout) {
        FlinkRest rest = new FlinkRest(restUrl());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (ManagedProcess process : List.of(jobManager(), taskManager())) {
                if (process.running().isEmpty()) {
                    throw new IllegalStateException(
                            "the Flink "
                                    + process.name()
                                    + " exited; last lines of "
                                    + workDir.log(process.name())
                                    + ":\n"
                                    + process.logTail(30));
                }
            }
            if (rest.reachable()
                    && rest.taskManagerSlots().stream().mapToInt(i -> i).sum() >= slots) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "Flink is not ready at "
                                + restUrl()
                                + " after "
                                + timeout
                                + "; see "
                                + workDir.logs());
            }
            Readiness.pause();
        }
    }

    /** {@code config.yaml} with this cluster's dynamic properties, as the processes see it. */
    Configuration configuration() {
        Configuration dynamic = new Configuration();
        dynamicProperties().forEach(dynamic::setString);
        return GlobalConfiguration.loadConfiguration(home.flinkConf().toString(), dynamic);
    }

    private List<String> dynamicArgs() {
        List<String> args = new ArrayList<>();
        dynamicProperties()
                .forEach(
                        (k, v) -> {
                            args.add("-D");
                            args.add(k + "=" + v);
                        });
        return args;
    }

    private List<String> commonJvmArgs(Configuration conf, String process) {
        List<String> args = new ArrayList<>(split(conf.get(CoreOptions.FLINK_DEFAULT_JVM_OPTIONS)));
        args.addAll(split(conf.get(CoreOptions.FLINK_JVM_OPTIONS)));
        args.addAll(
                split(
                        conf.get(
                                process.equals(JOBMANAGER)
                                        ? CoreOptions.FLINK_JM_JVM_OPTIONS
                                        : CoreOptions.FLINK_TM_JVM_OPTIONS)));
        args.add("-Dlog.file=" + workDir.log(process));
        args.add(
                "-Dlog4j.configurationFile="
                        + home.flinkConf().resolve("log4j-console.properties").toUri());
        args.add(
                "-Dlog4j2.configurationFile="
                        + home.flinkConf().resolve("log4j-console.properties").toUri());
        return args;
    }

    /** Splits Flink's space-separated argument strings ({@code -Xmx… -D key=value …}). */
    private static List<String> split(String args) {
        if (args == null || args.isBlank()) {
            return List.of();
        }
        return List.of(args.trim().split("\\s+"));
    }
}
