package io.tidemark.common.testing.scenario;

import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.util.List;
import java.util.Map;

/**
 * One {@link Replay#run replay} on an embedded broker of its own: Replay creates topics with fixed
 * names, so two replays of one job cannot share a broker.
 */
public final class FreshBroker {

    private FreshBroker() {}

    /** Starts a broker, replays {@code inputs} (role → JSON lines) through the job, stops it. */
    public static ReplayResult replay(
            TidemarkJob job, Map<String, List<String>> inputs, ReplayOptions options)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            return Replay.run(job, inputs, options, kafka);
        }
    }
}
