package io.tidemark.statemigration.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.jobs.sessionization.SessionizationUids;
import io.tidemark.statemigration.fixtures.Fixture;
import io.tidemark.statemigration.fixtures.FixtureRuns;
import io.tidemark.statemigration.fixtures.Subject;
import io.tidemark.statemigration.gate.CompatibilityGate;
import io.tidemark.statemigration.gate.Finding;
import io.tidemark.statemigration.gate.Finding.Verdict;
import io.tidemark.statemigration.gate.GateReport;
import io.tidemark.statemigration.manifest.SavepointStates;
import io.tidemark.statemigration.manifest.StateManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade demonstrated end to end: {@link SessionizationUpgradeDemoJob} at version 1 took the
 * committed fixture {@code savepoints/sessionization-upgrade-demo/1}; the code here is what it
 * became. Resuming the version-1 savepoint gives the same output as the current version run from
 * scratch. {@code -Dtidemark.fixtures=write-demo} writes the fixture of {@link #VERSION} when it is
 * missing.
 */
class SessionizationUpgradeDemoITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    /** The demo job's version in this source tree. */
    static final String VERSION = "2";

    static final Subject DEMO =
            new Subject(
                    "sessionization-upgrade-demo",
                    SessionizationUpgradeDemoJob::new,
                    Subject.all().get(0).inputs(),
                    "clicks",
                    2,
                    Map.of("session.gap", "1 min"));

    @TempDir Path tmp;

    @Test
    void theCurrentVersionResumesTheVersionOneSavepointLikeARunFromScratch(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        if ("write-demo".equals(System.getProperty("tidemark.fixtures"))) {
            List<Map<String, List<String>>> halves = DEMO.halves();
            FixtureRuns.writeIfMissing(
                    DEMO,
                    VERSION,
                    FixtureRuns.takeSavepoint(DEMO, halves.get(0), cluster, tmp.resolve("write")),
                    halves);
        }
        Fixture v1 = Fixture.at(DEMO.name(), "1");
        FixtureRuns.assertResumesLikeAnUninterruptedRun(DEMO, v1, cluster, tmp);
    }

    @Test
    void theGatePassesTheVersionOneSavepointWithTheEvolutionAndTheNewOperatorNoted(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        TidemarkJob v2 = DEMO.job().get();
        Map<String, String> names = SavepointStates.uidsById(v2.operatorUids());
        StateManifest current =
                SavepointStates.manifest(
                        v2.name(),
                        VERSION,
                        FixtureRuns.takeSavepoint(DEMO, DEMO.halves().get(0), cluster, tmp)
                                .savepoint(),
                        names);
        // Version 1 predates the chained classifier: its state moves first, as for any release.
        Path v1 =
                FixtureRuns.migrated(
                        DEMO,
                        Fixture.at(DEMO.name(), "1").savepoint().toAbsolutePath(),
                        tmp.resolve("v1-migrated"));

        GateReport report =
                CompatibilityGate.check(
                        v1.toString(),
                        SavepointStates.manifest(v2.name(), "1", v1, names),
                        current,
                        v2.operatorUids(),
                        128,
                        Set.of());

        assertThat(report.passes()).as(report.render()).isTrue();
        assertThat(report.findings())
                .extracting(Finding::verdict, Finding::uid, Finding::state)
                .containsExactlyInAnyOrder(
                        tuple(Verdict.NOTE, SessionizationUids.SESSIONS, "window-contents"),
                        tuple(Verdict.NOTE, SessionizationUpgradeDemoJob.COUNT_SESSIONS, null));
        assertThat(report.render())
                .contains("migrates the state on restore")
                .contains("starts empty");
    }
}
