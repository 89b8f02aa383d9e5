package io.tidemark.jobs.sessionization;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.scenario.FreshBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SessionizationReplayITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    @Test
    void exampleClicksGiveTheirSessionsInBothModes() throws Exception {
        Map<String, List<String>> input =
                Replay.readInputs(
                        new SessionizationJob(), Path.of("../../sample-data/clicks-example.jsonl"));
        ReplayResult streaming =
                FreshBroker.replay(new SessionizationJob(), input, ReplayOptions.defaults());
        ReplayResult batch =
                FreshBroker.replay(
                        new SessionizationJob(),
                        input,
                        ReplayOptions.defaults().withMode(ExecutionMode.BATCH));
        streaming.outputs().get("output").forEach(System.out::println);
        System.out.println(streaming.metrics());
        assertThat(streaming.outputs().get("output")).hasSize(4);
        assertThat(batch).isEqualTo(streaming);
    }
}
