package io.tidemark.jobs.sessionization;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.scenario.FreshBroker;
import io.tidemark.jobs.sessionization.reference.SessionReferenceModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SessionizationReplayITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    /**
     * The README's example file through {@code Replay} (the path {@code tidemark replay} takes):
     * exactly the sessions the reference model derives from the same lines, in both modes.
     */
    @Test
    void exampleClicksGiveTheReferenceSessionsInBothModes() throws Exception {
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
        SessionReferenceModel.Result expected =
                SessionReferenceModel.withDefaults()
                        .run(input.get("clicks"), ReplayOptions.defaults().partitions());

        assertThat(expected.output()).as("sessions of the example").hasSize(4);
        assertThat(streaming.outputs().get("output")).isEqualTo(expected.output());
        assertThat(streaming.late()).isEmpty();
        assertThat(streaming.dlq()).isEmpty();
        assertThat(batch).isEqualTo(streaming);
    }
}
