package io.tidemark.jobs.revenue;

import io.tidemark.common.joins.EnrichedStreams;
import io.tidemark.common.joins.EnrichmentStage;
import io.tidemark.common.postgres.ReadModelSink;
import io.tidemark.common.postgres.tables.RevenueTable;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.kafka.KafkaOutputs;
import io.tidemark.common.runtime.kafka.OutputSink;
import io.tidemark.common.runtime.kafka.SinkPreflight;
import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.RevenueAggregate;
import io.tidemark.jobs.revenue.functions.Contribution;
import io.tidemark.jobs.revenue.functions.EmitAggregate;
import io.tidemark.jobs.revenue.functions.OrderContributions;
import io.tidemark.jobs.revenue.functions.RevenueSums;
import io.tidemark.jobs.revenue.functions.SumAggregates;
import io.tidemark.jobs.revenue.functions.SumContributions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The revenue job:
 *
 * <pre>
 *   orders, products, customers ─▶ enrichment stage (validate, classify, temporal join)
 *     ─▶ contributions per (category, region, currency) ─▶ 1-minute tumbling windows ─▶ revenue-1m
 *                                                              └─▶ 1-hour tumbling rollup ─▶ revenue-1h
 * </pre>
 *
 * Windows fold incrementally ({@code AggregateFunction}); each fires once, when the watermark
 * passes its end. The rollup sums window results, so it equals a direct hourly aggregation.
 */
public final class RevenueTopology {

    private static final TypeInformation<RevenueAggregate> AGGREGATE =
            new AvroTypeInfo<>(RevenueAggregate.class);

    private RevenueTopology() {}

    /** Kafka in, Kafka out: the job as it runs. Fails before starting if the preflight fails. */
    public static void wire(StreamExecutionEnvironment env, RevenueConfig config) {
        wire(env, config, InputTap.NONE);
    }

    /** The same, with {@code tap} after each source (tests and tools). */
    public static void wire(StreamExecutionEnvironment env, RevenueConfig config, InputTap tap) {
        var common = config.common();
        OutputSink<RevenueAggregate> windowSink =
                aggregateSink(RevenueUids.SINK_WINDOWS, config.windowTopic(), config);
        OutputSink<RevenueAggregate> rollupSink =
                aggregateSink(RevenueUids.SINK_ROLLUP, config.rollupTopic(), config);
        OutputSink<ErrorEnvelope> late =
                KafkaOutputs.envelopes(RevenueUids.SINK_LATE, common.lateTopic(), common);
        OutputSink<ErrorEnvelope> dlq =
                KafkaOutputs.envelopes(RevenueUids.SINK_DLQ, common.dlqTopic(), common);
        SinkPreflight.check(common, List.of(windowSink, rollupSink, late, dlq));
        ReadModelSink readModel =
                ReadModelSink.of(config.postgres(), common.jobName(), common.uidPrefix());
        readModel.preflight();

        EnrichedStreams enriched =
                EnrichmentStage.apply(
                        env,
                        common,
                        config.inputs(),
                        config.assemblyTimeout(),
                        config.dedupHorizon(),
                        tap);
        SingleOutputStreamOperator<RevenueAggregate> windows =
                windows(enriched.orders(), config.window());
        readModel.write(
                windowSink.attach(windows, common.uidPrefix()),
                RevenueTable.minutes(EmitAggregate::outputKey),
                windowSink.topic());
        readModel.write(
                rollupSink.attach(rollup(windows, config.rollup()), common.uidPrefix()),
                RevenueTable.hours(EmitAggregate::outputKey),
                rollupSink.topic());
        late.attach(enriched.late(), common.uidPrefix());
        dlq.attach(readModel.withRejects(enriched.dlq()), common.uidPrefix());
    }

    private static OutputSink<RevenueAggregate> aggregateSink(
            String name, String topic, RevenueConfig config) {
        return KafkaOutputs.sink(name, RevenueAggregate.class)
                .topic(topic)
                .key(EmitAggregate::outputKey)
                .timestamp(a -> a.getWindowStart().toEpochMilli())
                .config(config.common())
                .build();
    }

    /** Enriched orders to revenue per group and tumbling window. */
    public static SingleOutputStreamOperator<RevenueAggregate> windows(
            DataStream<EnrichedOrder> orders, Duration size) {
        return orders.flatMap(new OrderContributions(), Contribution.typeInfo())
                .uid(RevenueUids.CONTRIBUTIONS)
                .name("contributions per group")
                .keyBy(Contribution::groupKey, Types.STRING)
                .window(TumblingEventTimeWindows.of(size))
                .aggregate(
                        new SumContributions(),
                        new EmitAggregate(),
                        RevenueSums.typeInfo(),
                        RevenueSums.typeInfo(),
                        AGGREGATE)
                .uid(RevenueUids.WINDOWS)
                .name("revenue windows");
    }

    /** Window results to rollup windows of a multiple of their size. */
    public static SingleOutputStreamOperator<RevenueAggregate> rollup(
            DataStream<RevenueAggregate> windows, Duration size) {
        return windows.keyBy(EmitAggregate::groupKey, Types.STRING)
                .window(TumblingEventTimeWindows.of(size))
                .aggregate(
                        new SumAggregates(),
                        new EmitAggregate(),
                        RevenueSums.typeInfo(),
                        RevenueSums.typeInfo(),
                        AGGREGATE)
                .uid(RevenueUids.ROLLUP)
                .name("revenue rollup");
    }
}
