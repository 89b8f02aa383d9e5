package io.tidemark.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.OrderGenerator;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.scenario.FreshBroker;
import io.tidemark.common.testing.scenario.ShopInputs;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EnrichmentReplayITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    private static ReplayResult replay(Map<String, List<String>> inputs, ReplayOptions options)
            throws Exception {
        return FreshBroker.replay(new EnrichmentJob(), inputs, options);
    }

    @Test
    void everyGeneratedOrderIsEnrichedOnceAndBatchEqualsStreaming() throws Exception {
        OrderGenerator.Output shop =
                OrderGenerator.generate(
                        OrderGenerator.Spec.builder()
                                .seed(7)
                                .orders(500)
                                .customers(50)
                                .products(40)
                                .partitions(2)
                                .productUpdates(60)
                                .customerUpdates(30)
                                .build());
        Map<String, List<String>> inputs = ShopInputs.of(shop);

        ReplayResult streaming = replay(inputs, ReplayOptions.defaults());
        ReplayResult batch = replay(inputs, ReplayOptions.defaults().withMode(ExecutionMode.BATCH));

        System.out.println(streaming.metrics());
        assertThat(streaming.outputs().get("output")).hasSize(500);
        assertThat(streaming.outputs().get("output"))
                .allMatch(l -> l.contains("\"customerFound\":true"));
        assertThat(batch).isEqualTo(streaming);
    }
}
