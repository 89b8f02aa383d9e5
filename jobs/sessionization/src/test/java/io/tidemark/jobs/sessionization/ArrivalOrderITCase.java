package io.tidemark.jobs.sessionization;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.ClickGenerator;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.replay.ArrivalOrder;
import io.tidemark.common.local.replay.LiveReplay;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.testing.TidemarkMiniCluster;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job running while its input arrives — partitions produced last to first, one after the other,
 * so one partition is read completely before the next exists — commits the same output as a replay
 * of the finished topic.
 */
class ArrivalOrderITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    private static final long SEED = 424242L;

    @Test
    void partitionsArrivingOneAfterAnotherGiveTheSameOutputAsAReplay() throws Exception {
        List<String> clicks =
                ClickGenerator.generate(
                        ClickGenerator.Spec.builder()
                                .seed(SEED)
                                .events(5_000)
                                .users(200)
                                .partitions(3)
                                .fractionLate(0.02)
                                .fractionDuplicates(0.01)
                                .badPerReason(2)
                                .build());
        Map<String, List<String>> input = Map.of("clicks", clicks);
        ReplayOptions options = ReplayOptions.defaults().withPartitions(3);

        ReplayResult replay;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            replay = Replay.run(new SessionizationJob(), input, options, kafka);
        }
        ReplayResult live;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            live =
                    LiveReplay.run(
                            new SessionizationJob(), input, options, ArrivalOrder.REVERSED, kafka);
        }

        assertThat(replay.outputs().get("output")).as("seed %d", SEED).hasSizeGreaterThan(100);
        assertThat(replay.late()).as("seed %d", SEED).isNotEmpty();
        assertThat(live).as("seed %d", SEED).isEqualTo(replay);
    }
}
