package io.tidemark.common.runtime.ingest;

import io.tidemark.common.runtime.metrics.TidemarkMetrics;
import io.tidemark.common.runtime.record.ErrorEnvelopes;
import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends records that failed decoding or validation to the DLQ side output as error envelopes,
 * counted per reason code ({@code tidemark.reason.<REASON>.dlq}), and passes everything else on.
 * Also reports progress: records read ({@code tidemark.read}) and the largest valid event time seen
 * ({@code tidemark.maxEventTime}). See {@link TidemarkMetrics}.
 */
public final class ValidationRouter<T> extends ProcessFunction<InputRecord<T>, InputRecord<T>> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<ErrorEnvelope> DLQ =
            new OutputTag<>("dlq", new AvroTypeInfo<>(ErrorEnvelope.class));

    private final String job;
    private transient Map<ReasonCode, Counter> counters;
    private transient Counter read;
    private transient volatile long maxEventTime;

    public ValidationRouter(String job) {
        this.job = job;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup tidemark = TidemarkMetrics.of(getRuntimeContext().getMetricGroup());
        read = tidemark.counter(TidemarkMetrics.READ);
        maxEventTime = Long.MIN_VALUE;
        tidemark.gauge(TidemarkMetrics.MAX_EVENT_TIME, (Gauge<Long>) () -> maxEventTime);
        counters = new EnumMap<>(ReasonCode.class);
        for (ReasonCode reason : ReasonCode.values()) {
            // A key-value group: Prometheus gets one metric with a "reason" label.
            counters.put(
                    reason,
                    tidemark.addGroup(TidemarkMetrics.REASON, reason.name())
                            .counter(TidemarkMetrics.DLQ));
        }
    }

    @Override
    public void processElement(InputRecord<T> record, Context ctx, Collector<InputRecord<T>> out) {
        read.inc();
        if (record.isBad()) {
            counters.get(record.reason).inc();
            ctx.output(DLQ, ErrorEnvelopes.ofBad(record, job));
        } else {
            // Progress only (a metric): never part of a result.
            maxEventTime = Math.max(maxEventTime, record.eventTime);
            out.collect(record);
        }
    }
}
