package io.tidemark.jobs.revenue.functions;

import io.tidemark.common.schemas.RevenueAggregate;
import java.time.Instant;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Names a window's sums with its group and bounds. */
public final class EmitAggregate
        extends ProcessWindowFunction<RevenueSums, RevenueAggregate, String, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String groupKey,
            Context context,
            Iterable<RevenueSums> sums,
            Collector<RevenueAggregate> out) {
        for (RevenueSums s : sums) {
            out.collect(
                    RevenueAggregate.newBuilder()
                            .setWindowStart(Instant.ofEpochMilli(context.window().getStart()))
                            .setWindowEnd(Instant.ofEpochMilli(context.window().getEnd()))
                            .setCategory(s.category)
                            .setRegion(s.region)
                            .setCurrency(s.currency)
                            .setOrders(s.orders)
                            .setUnits(s.units)
                            .setRevenueMinor(s.revenueMinor)
                            .build());
        }
    }

    /** The output key: {@code category|region|currency|windowStart} (ISO-8601). */
    public static String outputKey(RevenueAggregate a) {
        return a.getCategory()
                + "|"
                + a.getRegion()
                + "|"
                + a.getCurrency()
                + "|"
                + io.tidemark.common.schemas.AvroJson.formatInstant(
                        a.getWindowStart().toEpochMilli());
    }

    /** The window key of a result's group, for the rollup. */
    public static String groupKey(RevenueAggregate a) {
        return GroupKey.of(a.getCategory(), a.getRegion(), a.getCurrency());
    }
}
