package io.tidemark.common.runtime.metrics;

import org.apache.flink.metrics.MetricGroup;

/**
 * Every metric a Tidemark job registers, in one place. All of them live in the {@value #GROUP}
 * group of an operator's metric group, so a metric {@code m} of operator {@code o} has the Flink
 * identifier {@code <operator scope>.tidemark.m} and, with Flink's Prometheus reporter, the name
 * {@code flink_taskmanager_job_task_operator_tidemark_m} with the labels {@code job_name}, {@code
 * task_name}, {@code operator_name}, {@code subtask_index}, … of the operator. A key-value group
 * ({@link MetricGroup#addGroup(String, String)}) adds its key to the name and a label of that name:
 * {@code tidemark.reason.<REASON>.dlq} becomes {@code
 * flink_taskmanager_job_task_operator_tidemark_reason_dlq{reason="<REASON>"}}. {@code
 * flink-conf/grafana/README.md} lists them all with their Prometheus names; the Grafana dashboard
 * next to it plots them, and {@code DashboardMetricsITCase} checks that every metric it plots
 * exists.
 *
 * <p>Metrics are progress only: no operator reads one back, so they never influence a result.
 * Counters count what the operator did in this run (they restart from zero after a restore, like
 * every Flink metric); gauges mirror state the operator holds, they are not state themselves.
 */
public final class TidemarkMetrics {

    private TidemarkMetrics() {}

    /** The group every Tidemark metric is registered under. */
    public static final String GROUP = "tidemark";

    // ------------------------------------------------------------ ingest: validate <input>

    /** Counter (validate): records read from the source, good and bad, heartbeats included. */
    public static final String READ = "read";

    /**
     * Gauge (validate), epoch ms: the largest event time of the valid records this source subtask
     * read; {@link Long#MIN_VALUE} before the first one. The CLI's progress reporting reads it.
     */
    public static final String MAX_EVENT_TIME = "maxEventTime";

    /**
     * Key of the key-value group of the DLQ counters: {@code tidemark.reason.<REASON>.dlq}, one
     * counter per {@code ReasonCode}, all registered when the operator opens (so a reason that
     * never occurred reports 0 instead of being absent). Prometheus label {@code reason}.
     */
    public static final String REASON = "reason";

    /** Counter (validate), under {@link #REASON}: records sent to the DLQ with that reason. */
    public static final String DLQ = "dlq";

    // ------------------------------------------------------------ ingest: classify lateness
    // <input>

    /** Counter (classify): data records the lateness rule accepted. */
    public static final String ON_TIME = "onTime";

    /** Counter (classify): records sent to the late topic with reason {@code LATE}. */
    public static final String LATE = "late";

    /**
     * Counter (classify): records sent to the late topic with reason {@code LATE_AFTER_IDLE} (only
     * when processing-time idleness is switched on).
     */
    public static final String LATE_AFTER_IDLE = "lateAfterIdle";

    /** Counter (classify): heartbeat records consumed (they raise the partition's maximum). */
    public static final String HEARTBEATS = "heartbeats";

    /**
     * Key of the key-value group of the per-partition gauges: {@code
     * tidemark.partition.<topic>/<partition>.maxEventTime}, registered when the classifier subtask
     * first sees a record of that partition. Prometheus label {@code partition}; the reporter
     * replaces characters outside {@code [a-zA-Z0-9:_]} in label values, so {@code clicks/0}
     * appears as {@code clicks_0}.
     */
    public static final String PARTITION = "partition";

    /**
     * Gauge (classify), under {@link #PARTITION}, epoch ms: the partition's maximum event time as
     * the lateness rule holds it (data and heartbeats; late records never raise it). A mirror of
     * the checkpointed maximum, updated after each record of the partition; after a restore it
     * reappears with the partition's first record.
     */
    public static final String PARTITION_MAX_EVENT_TIME = "maxEventTime";

    /**
     * Counter (classify), under {@link #PARTITION}: the partition's records sent to the late topic
     * with reason {@code LATE} (their sum over partitions is {@link #LATE}); registered with the
     * partition's gauge. {@code tidemark report} shows it as lateness per partition.
     */
    public static final String PARTITION_LATE = "late";

    /**
     * Gauge (classify), ms: how far the watermark is behind the data, {@code max(0, M − W)}, where
     * {@code M} is the largest event time of the on-time records this subtask passed on and {@code
     * W} the current watermark there (the classifier is chained to the source: the minimum over the
     * partitions this source subtask reads, at least {@code B + 2 ms} behind each one's maximum;
     * windows downstream see the minimum of these over all subtasks). So with every partition
     * moving it sits near {@code B + 2 ms} plus how far this subtask's slowest partition trails its
     * fastest. 0 before the first record and once the watermark passed every record (end of input).
     * {@link Long#MAX_VALUE} while records were passed on but no watermark has arrived yet: the
     * first moments of a job, a partition that is empty and gets no heartbeats (the watermark is
     * stalled), or BATCH execution, which has no watermarks before the end.
     */
    public static final String WATERMARK_LAG = "watermarkLag";

    /**
     * Gauge (classify), epoch ms: this source subtask's current watermark; {@link Long#MIN_VALUE}
     * before its first. The watermark the windows of a job see is the lowest of these over the
     * job's inputs and subtasks, so the job's lag is {@code max(maxEventTime) − min(watermark)}
     * (what {@code tidemark report} prints and the dashboard plots): a partition that stopped holds
     * it back whichever subtask reads it.
     */
    public static final String WATERMARK = "watermark";

    // ------------------------------------------------------------ job stages

    /**
     * Counter (sessionization, dedup by eventId): duplicate clicks dropped; (enrichment and
     * revenue, dedup orders by orderId): copies of an order dropped within the dedup horizon.
     */
    public static final String DUPLICATES = "duplicates";

    /**
     * Counter (enrichment and revenue, join customer): order lines joined with no customer version
     * valid at the order's time (none yet, or deleted); they leave with {@code customerFound =
     * false}.
     */
    public static final String CUSTOMER_NOT_FOUND = "customerNotFound";

    /**
     * Counter (enrichment and revenue, join product): order lines joined with no product version
     * valid at the order's time; they leave with {@code productFound = false}.
     */
    public static final String PRODUCT_NOT_FOUND = "productNotFound";

    // ------------------------------------------------------------ PostgreSQL read model

    /**
     * Counter (every {@code upsert into <table>} operator): results written to the table (rows
     * rewritten by a replay count again). Rows the database rejected count as {@code
     * tidemark.reason.INVALID_FIELD.dlq} of the same operator instead.
     */
    public static final String POSTGRES_ROWS = "postgresRows";

    /**
     * Counter (every {@code upsert into <table>} operator): writes retried after a failure such as
     * a lost connection; the task fails once {@code sink.postgres.max-retries} are used up.
     */
    public static final String POSTGRES_RETRIES = "postgresRetries";

    /** The {@value #GROUP} group of an operator's (or a function's runtime context's) group. */
    public static MetricGroup of(MetricGroup operatorGroup) {
        return operatorGroup.addGroup(GROUP);
    }

    /**
     * {@code max − watermark} for the {@link #WATERMARK_LAG} gauge, saturating instead of
     * overflowing: 0 when nothing was seen ({@code max == Long.MIN_VALUE}) or the watermark is
     * ahead, {@link Long#MAX_VALUE} when there is data but no watermark yet ({@code watermark ==
     * Long.MIN_VALUE}).
     */
    public static long watermarkLag(long maxEventTime, long watermark) {
        if (maxEventTime == Long.MIN_VALUE || watermark >= maxEventTime) {
            return 0L;
        }
        if (watermark == Long.MIN_VALUE) {
            return Long.MAX_VALUE;
        }
        long lag = maxEventTime - watermark;
        return lag < 0 ? Long.MAX_VALUE : lag; // overflow: the watermark is far behind
    }
}
