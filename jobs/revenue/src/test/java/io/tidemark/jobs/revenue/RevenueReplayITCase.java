package io.tidemark.jobs.revenue;

import static io.tidemark.common.testing.scenario.SampleScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.local.OrderGenerator;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.scenario.FreshBroker;
import io.tidemark.common.testing.scenario.ShopInputs;
import io.tidemark.jobs.revenue.reference.RevenueInputModel;
import io.tidemark.jobs.revenue.reference.RevenueReferenceModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RevenueReplayITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    private static final long BOUND_MS = 2_000;

    private static ReplayResult replay(Map<String, List<String>> inputs, ReplayOptions options)
            throws Exception {
        return FreshBroker.replay(new RevenueJob(), inputs, options);
    }

    /**
     * A small generated shop: the 1-minute windows equal the reference model's aggregation of the
     * lines the input model derives from the raw inputs, key for key; the rollup equals the hourly
     * sums of the minutes; BATCH commits exactly what STREAMING commits.
     */
    @Test
    void windowsEqualTheReferenceModelRollupSumsMinutesAndBatchEqualsStreaming() throws Exception {
        OrderGenerator.Output shop =
                OrderGenerator.generate(
                        OrderGenerator.Spec.builder()
                                .seed(11)
                                .orders(400)
                                .customers(30)
                                .products(30)
                                .partitions(2)
                                .productUpdates(40)
                                .customerUpdates(20)
                                .build());
        Map<String, List<String>> inputs = ShopInputs.of(shop);

        ReplayResult streaming = replay(inputs, ReplayOptions.defaults());
        ReplayResult batch = replay(inputs, ReplayOptions.defaults().withMode(ExecutionMode.BATCH));

        System.out.println(streaming.metrics());
        assertThat(streaming.outputs().get("output-1m")).isNotEmpty();
        assertThat(hourly(streaming.outputs().get("output-1m")))
                .isEqualTo(hourly(streaming.outputs().get("output-1h")));
        RevenueInputModel.Result model =
                RevenueInputModel.apply(inputs, BOUND_MS, ReplayOptions.defaults().partitions());
        assertThat(RevenueReferenceModel.byKey(streaming.outputs().get("output-1m")))
                .as("1-minute windows vs the reference model")
                .isEqualTo(RevenueReferenceModel.aggregate(model.lines(), Duration.ofMinutes(1)));
        assertThat(RevenueReferenceModel.byKey(streaming.outputs().get("output-1h")))
                .as("1-hour rollup vs the reference model")
                .isEqualTo(RevenueReferenceModel.aggregate(model.lines(), Duration.ofHours(1)));
        assertThat(batch).isEqualTo(streaming);
    }

    /** Sums per (group, hour) of window lines: orders/units/revenue. */
    private static Map<String, List<Long>> hourly(List<String> lines) {
        Map<String, List<Long>> sums = new TreeMap<>();
        for (String line : lines) {
            JsonNode n = json(line);
            String hour = n.get("windowStart").asText().substring(0, 13);
            String key =
                    n.get("category")
                            + "|"
                            + n.get("region")
                            + "|"
                            + n.get("currency")
                            + "|"
                            + hour;
            List<Long> s = sums.computeIfAbsent(key, k -> new ArrayList<>(List.of(0L, 0L, 0L)));
            s.set(0, s.get(0) + n.get("orders").asLong());
            s.set(1, s.get(1) + n.get("units").asLong());
            s.set(2, s.get(2) + n.get("revenueMinor").asLong());
        }
        return sums;
    }
}
