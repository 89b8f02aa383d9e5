package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.ClickGenerator;
import io.tidemark.common.local.CommittedReader;
import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.metrics.ProgressReporter;
import io.tidemark.common.local.replay.Replay;
import io.tidemark.common.local.replay.ReplayOptions;
import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.runtime.ingest.InputTap;
import io.tidemark.common.runtime.job.JobTopic;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.common.testing.live.LiveJobs;
import io.tidemark.jobs.sessionization.SessionizationJob;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tidemark savepoint bootstrap}: a savepoint built from the history of the input topics
 * holds the state a full replay builds. A new deployment resumed from it, fed the input that
 * follows, commits — together with what the bootstrap run wrote to its scratch topics — exactly
 * what one run over all the input commits.
 */
class SavepointBootstrapITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    private static final Map<String, String> SETTINGS = Map.of("session.gap", "1 min");
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir Path tmp;

    @Test
    void resumingTheBootstrappedSavepointCommitsWhatAFullReplayCommits(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        TidemarkJob job = new SessionizationJob();
        List<String> clicks =
                ClickGenerator.generate(
                        ClickGenerator.Spec.builder()
                                .seed(20261204L)
                                .events(600)
                                .users(200)
                                .partitions(2)
                                .fractionLate(0.02)
                                .fractionDuplicates(0.02)
                                .badPerReason(1)
                                .build());
        Map<String, List<String>> history = Map.of("clicks", clicks.subList(0, 300));
        Map<String, List<String>> later = Map.of("clicks", clicks.subList(300, clicks.size()));

        Map<String, List<String>> expected = fullReplay(job, clicks);
        Map<String, List<String>> actual = new LinkedHashMap<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Configuration conf = liveConfiguration(job, kafka, null);
            LiveJobs.createTopics(kafka, job, conf, 2);
            LiveJobs.load(job, conf, kafka.bootstrapServers(), history, "history");

            StringWriter out = new StringWriter();
            CommandLine cli = Tidemark.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(out, true));
            int code =
                    cli.execute(
                            "savepoint",
                            "bootstrap",
                            "sessionization",
                            "--bootstrap",
                            kafka.bootstrapServers(),
                            "--to",
                            tmp.resolve("bootstrap").toString(),
                            "--set",
                            "session.gap=1 min");
            assertThat(code).as(out.toString()).isZero();
            Matcher savepoint = Pattern.compile("Savepoint: (\\S+)").matcher(out.toString());
            assertThat(savepoint.find()).as(out.toString()).isTrue();

            Configuration resumed = liveConfiguration(job, kafka, savepoint.group(1));
            ProgressReporter.reset();
            JobClient client = LiveJobs.start(job, resumed, InputTap.NONE, "resumed");
            try {
                LiveJobs.load(job, resumed, kafka.bootstrapServers(), later, "later");
                int records = later.get("clicks").size();
                LiveJobs.await(
                        "the later input read and every task running",
                        DEADLINE,
                        client,
                        () -> LiveJobs.readAndRunning(cluster, client.getJobID(), records));
                client.stopWithSavepoint(
                                true,
                                tmp.resolve("final").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
                client.getJobExecutionResult().get(1, TimeUnit.MINUTES);
            } finally {
                LiveJobs.cancelQuietly(client);
            }
            assertThat(committed(kafka, "user-sessions-bootstrap"))
                    .as("sessions the bootstrap run closed itself")
                    .isNotEmpty();
            for (JobTopic topic : written(job, resumed)) {
                List<String> lines =
                        new ArrayList<>(committed(kafka, topic.topic() + "-bootstrap"));
                lines.addAll(committed(kafka, topic.topic()));
                actual.put(topic.role(), lines.stream().sorted().toList());
            }
        }
        assertThat(actual.get("output")).as("sessions committed").isNotEmpty();
        expected.forEach(
                (role, lines) ->
                        assertThat(actual.get(role))
                                .as("%s: scratch topics of the bootstrap + the resumed job", role)
                                .containsExactlyElementsOf(lines.stream().sorted().toList()));
    }

    private Configuration liveConfiguration(
            TidemarkJob job, EmbeddedKafka kafka, String savepoint) {
        Map<String, String> overrides = new LinkedHashMap<>(SETTINGS);
        overrides.putAll(LiveJobs.recoverable(tmp.resolve("checkpoints")));
        overrides.put("source.stop", "none");
        if (savepoint != null) {
            overrides.put("flink.execution.state-recovery.path", savepoint);
        }
        return Replay.configuration(
                job, ReplayOptions.defaults().withOverrides(overrides), kafka.bootstrapServers());
    }

    private static Map<String, List<String>> fullReplay(TidemarkJob job, List<String> clicks)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            ReplayResult result =
                    Replay.run(
                            job,
                            Map.of("clicks", clicks),
                            ReplayOptions.defaults().withOverrides(SETTINGS),
                            kafka);
            Map<String, List<String>> lines = new LinkedHashMap<>(result.outputs());
            lines.put("late", result.late());
            lines.put("dlq", result.dlq());
            return lines;
        }
    }

    private static List<JobTopic> written(TidemarkJob job, Configuration conf) {
        List<JobTopic> written = new ArrayList<>(job.resultTopics(conf));
        written.addAll(job.errorTopics(conf));
        return written;
    }

    private static List<String> committed(EmbeddedKafka kafka, String topic) {
        CommittedReader.awaitSettled(
                kafka.bootstrapServers(), List.of(topic), CommittedReader.DEFAULT_TIMEOUT);
        return CommittedReader.canonicalLinesLastPerKey(kafka.bootstrapServers(), topic);
    }
}
