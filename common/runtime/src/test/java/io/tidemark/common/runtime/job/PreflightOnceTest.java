package io.tidemark.common.runtime.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.PreflightMode;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkOptions;
import io.tidemark.common.runtime.ingest.InputTap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink preflight's broker check runs once per submission: {@code main} running again for a
 * submission that was already checked (application mode, HA, the same fixed job id: a JobManager
 * failover) builds the job with {@code sink.preflight=OFF}; everything else is checked every time.
 */
class PreflightOnceTest {

    @TempDir Path ha;

    /** Records the preflight mode each build sees, as a job's topology would read it. */
    private static final class RecordingJob implements TidemarkJob {
        final List<PreflightMode> seen = new ArrayList<>();

        @Override
        public String name() {
            return "job";
        }

        @Override
        public List<ConfigOption<?>> options() {
            return List.of();
        }

        @Override
        public List<JobTopic> inputs(Configuration conf) {
            return List.of();
        }

        @Override
        public List<JobTopic> outputs(Configuration conf) {
            return List.of();
        }

        @Override
        public List<String> operatorUids() {
            return List.of();
        }

        @Override
        public void build(StreamExecutionEnvironment env, Configuration conf, InputTap tap) {
            seen.add(TidemarkConfig.from(conf, name()).preflightMode());
        }
    }

    private static Configuration jobConf(Map<String, String> extra) {
        Map<String, String> raw = new HashMap<>(extra);
        raw.put("kafka.bootstrap.servers", "broker:9092");
        return ConfigLoader.validate(raw, List.of(), Map.of());
    }

    /** What the environment of {@code main} carries in application mode with HA. */
    private Configuration applicationModeWithHa(String jobId) {
        Configuration cluster = new Configuration();
        cluster.set(HighAvailabilityOptions.HA_MODE, "kubernetes");
        cluster.set(HighAvailabilityOptions.HA_STORAGE_PATH, ha.toUri().toString());
        cluster.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, jobId);
        return cluster;
    }

    private static Optional<PreflightMarker> runMain(
            RecordingJob job, Configuration cluster, Configuration conf) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(cluster);
        return JobLauncher.build(job, env, conf, TidemarkConfig.from(conf, job.name()));
    }

    @Test
    void aJobManagerFailoverDoesNotAskTheBrokersAgain() throws Exception {
        RecordingJob job = new RecordingJob();
        Configuration cluster = applicationModeWithHa("00000000000000000000000000000001");
        Configuration conf = jobConf(Map.of());

        Optional<PreflightMarker> first = runMain(job, cluster, conf);
        Optional<PreflightMarker> failover = runMain(job, cluster, conf);

        assertThat(job.seen).containsExactly(PreflightMode.TOLERANT, PreflightMode.OFF);
        assertThat(first).isPresent();
        assertThat(failover).map(PreflightMarker::path).isEqualTo(first.map(PreflightMarker::path));
        // In the cluster's HA directory, which Flink deletes when the application ends.
        assertThat(Files.list(ha.resolve("default").resolve(PreflightMarker.DIRECTORY))).hasSize(1);
    }

    @Test
    void aNewSubmissionOrChangedSinkSettingsAreCheckedAgain() {
        RecordingJob job = new RecordingJob();
        runMain(job, applicationModeWithHa("00000000000000000000000000000001"), jobConf(Map.of()));
        // Another job id: a new submission.
        runMain(job, applicationModeWithHa("00000000000000000000000000000002"), jobConf(Map.of()));
        // The same job id with another transaction timeout (a last-state upgrade).
        runMain(
                job,
                applicationModeWithHa("00000000000000000000000000000001"),
                jobConf(Map.of(TidemarkOptions.SINK_TRANSACTION_TIMEOUT.key(), "10 min")));

        assertThat(job.seen)
                .containsExactly(
                        PreflightMode.TOLERANT, PreflightMode.TOLERANT, PreflightMode.TOLERANT);
    }

    @Test
    void withoutHaEveryRunOfMainIsANewSubmission() {
        RecordingJob job = new RecordingJob();
        Configuration noHa = new Configuration();
        noHa.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, "00000000000000000000000000000001");

        assertThat(runMain(job, noHa, jobConf(Map.of()))).isEmpty();
        assertThat(runMain(job, new Configuration(), jobConf(Map.of("sink.preflight", "STRICT"))))
                .isEmpty();
        runMain(job, noHa, jobConf(Map.of()));

        assertThat(job.seen)
                .containsExactly(
                        PreflightMode.TOLERANT, PreflightMode.STRICT, PreflightMode.TOLERANT);
    }
}
