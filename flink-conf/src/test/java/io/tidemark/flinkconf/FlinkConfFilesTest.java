package io.tidemark.flinkconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tidemark.flinkconf.FlinkOptionCatalog.Kind;
import io.tidemark.flinkconf.FlinkOptionCatalog.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.util.PortRange;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loads {@code local/config.yaml} and {@code production/config.yaml} with Flink's own parser
 * ({@link GlobalConfiguration#loadConfiguration(String)}, what the JobManager and TaskManager run)
 * and checks what Flink itself does not: every key is one Flink 2.2.0 declares (Flink ignores a
 * misspelled key silently), no key is deprecated, every value parses as its option's type, the
 * memory settings resolve as the processes will resolve them, and the checkpoint settings fit the
 * Kafka transaction timeout.
 */
class FlinkConfFilesTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Path LOCAL = MODULE.resolve("local");
    private static final Path PRODUCTION = MODULE.resolve("production");

    /** The broker's transaction.max.timeout.ms, which caps the sinks' transaction.timeout.ms. */
    private static final Duration KAFKA_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    /**
     * What a transaction must have left when its checkpoint completes at the latest: a restart
     * (restart delay, redeploy, restore) that commits it on recovery.
     */
    private static final Duration RESTART_MARGIN = Duration.ofMinutes(3);

    /** The Tidemark jobs the local TaskManager runs side by side. */
    private static final int TIDEMARK_JOBS = 3;

    private static FlinkOptionCatalog catalog;

    @BeforeAll
    static void scanFlinkOptions() {
        catalog = FlinkOptionCatalog.ofTestClasspath();
    }

    static Stream<Path> configDirs() {
        return Stream.of(LOCAL, PRODUCTION);
    }

    private static Configuration load(Path dir) {
        assertThat(dir.resolve("config.yaml")).isRegularFile();
        return GlobalConfiguration.loadConfiguration(dir.toString());
    }

    private static Configuration loadYaml(Path dir, String yaml) throws IOException {
        Files.writeString(dir.resolve("config.yaml"), yaml);
        return GlobalConfiguration.loadConfiguration(dir.toString());
    }

    // --- the catalog itself -------------------------------------------------------------------

    @Test
    void catalogHoldsTheOptionsOfEveryFlinkJarOnTheClasspath() {
        assertThat(catalog.scannedClasses())
                .contains(
                        "org.apache.flink.configuration.CoreOptions",
                        "org.apache.flink.configuration.CheckpointingOptions",
                        "org.apache.flink.configuration.MetricOptions",
                        "org.apache.flink.configuration.TaskManagerOptions",
                        "org.apache.flink.configuration.HighAvailabilityOptions",
                        "org.apache.flink.state.rocksdb.RocksDBOptions",
                        "org.apache.flink.client.cli.ClientOptions",
                        "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterOptions");
        assertThat(catalog.exactKeyCount()).isGreaterThan(500);
        // Only classes whose dependencies are deliberately absent (the table API) are skipped.
        assertThat(catalog.skippedClasses().keySet())
                .allSatisfy(c -> assertThat(c).contains(".table."));
    }

    // --- both files ---------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("configDirs")
    void everyKeyIsAFlinkOptionAndEveryValueParses(Path dir) {
        Configuration conf = load(dir);

        assertThat(conf.keySet()).hasSizeGreaterThan(20);
        assertThat(catalog.check(conf)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("configDirs")
    void statePipelineAndRestartsFollowTheDeterminismContract(Path dir) {
        Configuration conf = load(dir);

        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(RocksDBOptions.USE_MANAGED_MEMORY)).isTrue();
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
                .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isNotBlank();
        assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).isNotBlank();
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(conf.get(PipelineOptions.AUTO_GENERATE_UIDS)).isFalse();
        assertThat(
                        MetricOptions.forReporter(conf, "prom")
                                .get(MetricOptions.REPORTER_FACTORY_CLASS))
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    }

    /**
     * A KafkaSink transaction opens at one checkpoint and commits when the next successful one
     * completes; tolerated failures in between keep it open. It must commit (or be recovered after
     * a restart) before the broker aborts it.
     */
    @ParameterizedTest
    @MethodSource("configDirs")
    void checkpointsCommitKafkaTransactionsBeforeTheyTimeOut(Path dir) {
        Configuration conf = load(dir);
        Duration interval = conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        Duration timeout = conf.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT);
        Duration minPause = conf.get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS);
        int tolerable = conf.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER);

        Duration longestOpenTransaction =
                interval.plus(timeout.plus(minPause).multipliedBy(tolerable + 1L));

        assertThat(interval).isPositive();
        assertThat(longestOpenTransaction)
                .isLessThanOrEqualTo(KAFKA_TRANSACTION_TIMEOUT.minus(RESTART_MARGIN));
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isLessThan(RESTART_MARGIN);
    }

    @ParameterizedTest
    @MethodSource("configDirs")
    void taskManagerMemoryResolvesAndLeavesRocksDbManagedMemoryPerSlot(Path dir) {
        Configuration conf = load(dir);
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
        int slots = conf.get(TaskManagerOptions.NUM_TASK_SLOTS);
        System.out.printf(
                "%s TaskManager: process %s, task heap %s, managed %s (%s per slot), network %s,"
                        + " framework heap %s, metaspace %s, overhead %s%n",
                MODULE.relativize(dir),
                mb(spec.getTotalProcessMemorySize()),
                mb(spec.getTaskHeapSize()),
                mb(spec.getManagedMemorySize()),
                mb(spec.getManagedMemorySize().divide(slots)),
                mb(spec.getNetworkMemSize()),
                mb(spec.getFlinkMemory().getFrameworkHeap()),
                mb(spec.getJvmMetaspaceSize()),
                mb(spec.getJvmOverheadSize()));

        assertThat(spec.getNumSlots()).isEqualTo(slots);
        assertThat(spec.getTotalProcessMemorySize())
                .isEqualTo(conf.get(TaskManagerOptions.TOTAL_PROCESS_MEMORY));
        MemorySize perSlot = dir.equals(LOCAL) ? MemorySize.parse("64m") : MemorySize.parse("512m");
        assertThat(spec.getManagedMemorySize().divide(slots)).isGreaterThanOrEqualTo(perSlot);
        assertThat(spec.getTaskHeapSize().divide(slots)).isGreaterThanOrEqualTo(perSlot);

        // What the launcher (and Flink's scripts) do: derive the fine-grained sizes once and pass
        // them to the TaskManager as -D dynamic properties; it must resolve to the same spec.
        Configuration derived =
                dynamicProperties(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec));
        Configuration withDerived = GlobalConfiguration.loadConfiguration(dir.toString(), derived);
        assertThat(catalog.check(withDerived)).isEmpty();
        assertThat(TaskExecutorProcessUtils.processSpecFromConfig(withDerived)).isEqualTo(spec);
    }

    @ParameterizedTest
    @MethodSource("configDirs")
    void jobManagerMemoryResolves(Path dir) {
        Configuration conf = load(dir);
        JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(conf);
        System.out.printf(
                "%s JobManager: process %s, heap %s, off-heap %s, metaspace %s, overhead %s%n",
                MODULE.relativize(dir),
                mb(spec.getTotalProcessMemorySize()),
                mb(spec.getJvmHeapMemorySize()),
                mb(spec.getJvmDirectMemorySize()),
                mb(spec.getJvmMetaspaceSize()),
                mb(spec.getJvmOverheadSize()));

        assertThat(spec.getTotalProcessMemorySize())
                .isEqualTo(conf.get(JobManagerOptions.TOTAL_PROCESS_MEMORY));
        assertThat(spec.getJvmHeapMemorySize()).isGreaterThanOrEqualTo(MemorySize.parse("256m"));
    }

    // --- the local cluster --------------------------------------------------------------------

    @Test
    void localClusterRunsTheThreeJobsOnOneTaskManagerAndListensOnlyOnThisMachine() {
        Configuration conf = load(LOCAL);

        assertThat(conf.get(TaskManagerOptions.NUM_TASK_SLOTS))
                .isEqualTo(TIDEMARK_JOBS * conf.get(CoreOptions.DEFAULT_PARALLELISM))
                .isEqualTo(6);
        assertThat(
                        List.of(
                                conf.get(JobManagerOptions.BIND_HOST),
                                conf.get(JobManagerOptions.ADDRESS),
                                conf.get(TaskManagerOptions.BIND_HOST),
                                conf.get(TaskManagerOptions.HOST),
                                conf.get(RestOptions.ADDRESS),
                                conf.get(RestOptions.BIND_ADDRESS)))
                .containsOnly("localhost");
        // JobManager and TaskManager on one host: each takes the first free port of the range.
        String port = conf.toMap().get("metrics.reporter.prom.port");
        assertThat(port).isEqualTo("9249-9260");
        assertThat(new PortRange(port).getPortsIterator()).toIterable().hasSizeGreaterThan(2);
    }

    /** The keys `tidemark cluster up` overrides per work directory are current Flink keys. */
    @Test
    void launcherOverridesAreCurrentFlinkKeysAndTakePrecedence(@TempDir Path work) {
        Map<String, String> overrides =
                Map.of(
                        CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(),
                        work.resolve("checkpoints").toUri().toString(),
                        CheckpointingOptions.SAVEPOINT_DIRECTORY.key(),
                        work.resolve("savepoints").toUri().toString(),
                        RocksDBOptions.LOCAL_DIRECTORIES.key(),
                        work.resolve("rocksdb").toString(),
                        CoreOptions.TMP_DIRS.key(),
                        work.resolve("tmp").toString(),
                        WebOptions.UPLOAD_DIR.key(),
                        work.resolve("uploads").toString());
        assertThat(overrides.keySet())
                .containsExactlyInAnyOrder(
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        "state.backend.rocksdb.localdir",
                        "io.tmp.dirs",
                        "web.upload.dir")
                .allSatisfy(key -> assertThat(catalog.isCurrentKey(key)).as(key).isTrue());

        Configuration conf =
                GlobalConfiguration.loadConfiguration(
                        LOCAL.toString(), Configuration.fromMap(overrides));

        assertThat(catalog.check(conf)).isEmpty();
        assertThat(conf.toMap()).containsAllEntriesOf(overrides);
        // The file's own defaults, used when the directory is started without the launcher.
        assertThat(load(LOCAL).toMap())
                .containsEntry("execution.checkpointing.dir", "file:///tmp/tidemark/checkpoints")
                .containsEntry("io.tmp.dirs", "/tmp/tidemark/tmp");
    }

    // --- production ---------------------------------------------------------------------------

    @Test
    void productionIsHighlyAvailableOnDurableStorageAndReachableFromOtherPods() {
        Configuration conf = load(PRODUCTION);

        assertThat(conf.get(HighAvailabilityOptions.HA_MODE)).isEqualTo("kubernetes");
        assertThat(
                        List.of(
                                conf.get(HighAvailabilityOptions.HA_STORAGE_PATH),
                                conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY),
                                conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)))
                .allSatisfy(path -> assertThat(path).startsWith("s3://"));
        assertThat(
                        List.of(
                                conf.get(RestOptions.BIND_ADDRESS),
                                conf.get(JobManagerOptions.BIND_HOST),
                                conf.get(TaskManagerOptions.BIND_HOST)))
                .containsOnly("0.0.0.0");
        assertThat(conf.toMap()).containsEntry("metrics.reporter.prom.port", "9249");
        // The operator sets these per deployment; the file must not pin them to one cluster.
        assertThat(conf.toMap())
                .doesNotContainKeys(
                        RestOptions.ADDRESS.key(),
                        JobManagerOptions.ADDRESS.key(),
                        HighAvailabilityOptions.HA_CLUSTER_ID.key());
    }

    // --- the checks fail when they should ----------------------------------------------------

    @Test
    void misspelledKeyIsRejected(@TempDir Path dir) throws IOException {
        Configuration conf =
                loadYaml(
                        dir,
                        """
                        execution:
                          checkpointing:
                            intervall: 10 s
                            timeout: 2 min
                        """);

        // Flink alone accepts the file and silently runs without checkpoints.
        assertThat(conf.toMap()).containsEntry("execution.checkpointing.intervall", "10 s");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isNull();

        assertProblems(conf, tuple(Kind.UNKNOWN_KEY, "execution.checkpointing.intervall"));
    }

    @Test
    void unparsableValueIsRejected(@TempDir Path dir) throws IOException {
        Configuration conf =
                loadYaml(
                        dir,
                        """
                        execution.checkpointing.interval: ten seconds
                        execution.checkpointing.mode: EXACTLY_ONCEE
                        taskmanager.numberOfTaskSlots: six
                        """);

        assertProblems(
                conf,
                tuple(Kind.UNPARSABLE_VALUE, "execution.checkpointing.interval"),
                tuple(Kind.UNPARSABLE_VALUE, "execution.checkpointing.mode"),
                tuple(Kind.UNPARSABLE_VALUE, "taskmanager.numberOfTaskSlots"));
    }

    @Test
    void deprecatedKeyIsRejected(@TempDir Path dir) throws IOException {
        Configuration conf = loadYaml(dir, "state.checkpoints.dir: file:///tmp/checkpoints\n");

        assertProblems(conf, tuple(Kind.DEPRECATED_KEY, "state.checkpoints.dir"));
    }

    @Test
    void reporterKeysAreCheckedAgainstMetricOptionsAndThePrometheusReporter(@TempDir Path dir)
            throws IOException {
        Configuration conf =
                loadYaml(
                        dir,
                        """
                        metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
                        metrics.reporter.prom.port: 9249-9260
                        metrics.reporter.prom.filterLabelValueCharacters: false
                        metrics.reporter.prom.interval: 30 s
                        metrics.reporter.prom.scope.variables.excludes: tm_id
                        metrics.reporter.prom.prot: 9249
                        metrics.reporter.prom.intervall: 30 s
                        metrics.reporter.typo.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactori
                        metrics.reporter.typo.port: 92a9
                        metrics.reporter.push.factory.class: org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory
                        metrics.reporter.push.hostUrl: http://pushgateway:9091
                        metrics.reporter.push.port: 9249
                        metrics.reporter.other.factory.class: org.apache.flink.configuration.CoreOptions
                        """);

        assertProblemsInAnyOrder(
                conf,
                tuple(Kind.UNKNOWN_KEY, "metrics.reporter.prom.prot"),
                tuple(Kind.UNKNOWN_KEY, "metrics.reporter.prom.intervall"),
                tuple(Kind.UNPARSABLE_VALUE, "metrics.reporter.typo.factory.class"),
                // Unknown factory: its parameters cannot be checked, so they are not accepted.
                tuple(Kind.UNKNOWN_KEY, "metrics.reporter.typo.port"),
                // The push gateway reporter has no port (it pushes).
                tuple(Kind.UNKNOWN_KEY, "metrics.reporter.push.port"),
                tuple(Kind.UNPARSABLE_VALUE, "metrics.reporter.other.factory.class"));
    }

    @Test
    void prometheusPortIsParsedAsThePortRangeTheReporterBinds(@TempDir Path dir)
            throws IOException {
        Configuration conf =
                loadYaml(
                        dir,
                        """
                        metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
                        metrics.reporter.prom.port: 9249-92x0
                        """);

        assertProblems(conf, tuple(Kind.UNPARSABLE_VALUE, "metrics.reporter.prom.port"));
    }

    @Test
    void templatedAndPrefixMapKeysAreMatchedAndTheirValuesParsed(@TempDir Path dir)
            throws IOException {
        Configuration conf =
                loadYaml(
                        dir,
                        """
                        external-resource.gpu.amount: 2
                        external-resource.fpga.amount: two
                        external-resource.gpu.amout: 2
                        pipeline.global-job-parameters.region: eu-west-1
                        env.java.default-opts.taskmanager: -XX:+UseG1GC
                        env.java.default-opts.al: -XX:+UseG1GC
                        """);

        assertProblemsInAnyOrder(
                conf,
                tuple(Kind.UNPARSABLE_VALUE, "external-resource.fpga.amount"),
                tuple(Kind.UNKNOWN_KEY, "external-resource.gpu.amout"),
                tuple(Kind.UNKNOWN_KEY, "env.java.default-opts.al"));
    }

    @Test
    void taskManagerMemoryThatCannotResolveIsRejected(@TempDir Path dir) throws IOException {
        Configuration conf =
                loadYaml(
                        dir,
                        """
                        taskmanager.memory.process.size: 2g
                        taskmanager.memory.managed.size: 2g
                        """);

        assertThat(catalog.check(conf)).isEmpty();
        assertThatThrownBy(() -> TaskExecutorProcessUtils.processSpecFromConfig(conf))
                .isInstanceOf(IllegalConfigurationException.class);
    }

    // --- helpers ------------------------------------------------------------------------------

    /** The catalog finds exactly these problems (kind, key) in conf, in this order. */
    private static void assertProblems(Configuration conf, Tuple... expected) {
        assertThat(catalog.check(conf))
                .extracting(Problem::kind, Problem::key)
                .containsExactly(expected);
    }

    /** The catalog finds exactly these problems (kind, key) in conf, in any order. */
    private static void assertProblemsInAnyOrder(Configuration conf, Tuple... expected) {
        assertThat(catalog.check(conf))
                .extracting(Problem::kind, Problem::key)
                .containsExactlyInAnyOrder(expected);
    }

    private static final Pattern DYNAMIC_PROPERTY = Pattern.compile("-D\\s+([^=\\s]+)=(\\S+)");

    /** {@code -D k=v -D k2=v2} as generated by Flink's process utils. */
    private static Configuration dynamicProperties(String args) {
        Configuration conf = new Configuration();
        Matcher m = DYNAMIC_PROPERTY.matcher(args);
        while (m.find()) {
            conf.setString(m.group(1), m.group(2));
        }
        assertThat(conf.keySet()).isNotEmpty();
        return conf;
    }

    private static String mb(MemorySize size) {
        return size.getMebiBytes() + " MB";
    }
}
