package io.tidemark.common.testing;

import io.tidemark.common.local.metrics.ProgressReporterFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The MiniCluster every Tidemark integration test uses:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();
 * }</pre>
 *
 * <p>One TaskManager with two slots, so parallelism 2 (the default) exercises keyBy shuffles and
 * several source readers while staying inside the 1 GB test JVM.
 */
public final class TidemarkMiniCluster {

    public static final int DEFAULT_PARALLELISM = 2;
    public static final int DEFAULT_TASK_MANAGERS = 1;
    public static final int DEFAULT_SLOTS_PER_TASK_MANAGER = 2;

    /** Enough for RocksDB's block cache and write buffers in a test, small enough for -Xmx1g. */
    public static final MemorySize MANAGED_MEMORY = MemorySize.ofMebiBytes(128);

    private TidemarkMiniCluster() {}

    public static MiniClusterExtension extension() {
        return extension(DEFAULT_TASK_MANAGERS, DEFAULT_SLOTS_PER_TASK_MANAGER);
    }

    public static MiniClusterExtension extension(int taskManagers, int slotsPerTaskManager) {
        return new MiniClusterExtension(resourceConfiguration(taskManagers, slotsPerTaskManager));
    }

    public static MiniClusterResourceConfiguration resourceConfiguration(
            int taskManagers, int slotsPerTaskManager) {
        return new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(configuration())
                .setNumberTaskManagers(taskManagers)
                .setNumberSlotsPerTaskManager(slotsPerTaskManager)
                .build();
    }

    /** The cluster configuration; a fresh copy that callers may extend. */
    public static Configuration configuration() {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MANAGED_MEMORY);
        // Lets tests and tools follow a running job's progress in this JVM.
        conf.setString(
                "metrics.reporter.progress.factory.class", ProgressReporterFactory.class.getName());
        return conf;
    }
}
