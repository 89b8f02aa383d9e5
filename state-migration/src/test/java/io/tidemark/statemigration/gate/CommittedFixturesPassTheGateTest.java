package io.tidemark.statemigration.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.jobs.enrichment.EnrichmentJob;
import io.tidemark.jobs.revenue.RevenueJob;
import io.tidemark.jobs.sessionization.SessionizationJob;
import io.tidemark.statemigration.fixtures.Fixture;
import io.tidemark.statemigration.manifest.CommittedManifests;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gate on real savepoints: every committed fixture of the current version passes for the
 * current job (the fixture ITCase then proves the restore itself); fixtures of the versions before
 * 0.3.0 chained the lateness classifier are refused with the migration to run (the fixture ITCase
 * runs it and resumes them); and the same savepoint is refused for a job configured with another
 * max parallelism.
 */
class CommittedFixturesPassTheGateTest {

    static Stream<TidemarkJob> jobs() {
        return Stream.of(new SessionizationJob(), new EnrichmentJob(), new RevenueJob());
    }

    static Stream<TidemarkJob> joinJobs() {
        return Stream.of(new EnrichmentJob(), new RevenueJob());
    }

    /** Versions whose lateness classifier was keyed: their savepoints need the migration. */
    private static final Set<String> KEYED_CLASSIFIER = Set.of("0.1.0", "0.2.0");

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void theCurrentVersionsSavepointPassesForTheCurrentJob(TidemarkJob job) {
        Fixture fixture = Fixture.at(job.name(), CommittedManifests.currentVersion());

        GateReport report = SavepointGate.check(job, fixture.savepoint(), 128, Set.of());

        assertThat(report.passes()).as(report.render()).isTrue();
        assertThat(report.render()).startsWith("COMPATIBLE");
        assertThat(report.findings()).as(report.render()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void savepointsOfTheKeyedClassifierAreRefusedNamingTheMigrationThatMovesItsState(
            TidemarkJob job) {
        List<String> keyedClassifiers =
                job.operatorUids().stream()
                        .filter(uid -> uid.startsWith(job.name() + ".lateness."))
                        .map(uid -> uid.replace(".lateness.", ".classify."))
                        .toList();
        assertThat(keyedClassifiers).isNotEmpty();
        for (String version : KEYED_CLASSIFIER) {
            Fixture fixture = Fixture.at(job.name(), version);

            GateReport report = SavepointGate.check(job, fixture.savepoint(), 128, Set.of());

            assertThat(report.passes()).as(report.render()).isFalse();
            assertThat(report.refused())
                    .as(report.render())
                    .extracting(Finding::uid)
                    .containsExactlyInAnyOrderElementsOf(keyedClassifiers);
            assertThat(report.refused())
                    .allSatisfy(
                            f ->
                                    assertThat(f.message())
                                            .contains("tidemark savepoint migrate")
                                            .contains("--lateness-state " + job.name())
                                            .doesNotContain("--allow-dropped"));
        }
    }

    /**
     * 0.2.0 added the dedup of orders ({@code <job>.dedup.orders}) to enrichment and revenue: a
     * 0.1.0 savepoint has no state for it, which the gate lets through with a note (the operator
     * starts empty); only the classifier's migration is refused.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("joinJobs")
    void releasedFixturesOfTheJoinJobsResumeWithTheOrderDedupStartingEmpty(TidemarkJob job) {
        GateReport report =
                SavepointGate.check(
                        job, Fixture.at(job.name(), "0.1.0").savepoint(), 128, Set.of());
        assertThat(report.refused())
                .as(report.render())
                .allSatisfy(f -> assertThat(f.uid()).contains(".classify."));
        assertThat(report.render())
                .contains(job.name() + ".dedup.orders")
                .contains("not in the savepoint: its state starts empty");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void theSameSavepointIsRefusedWithAnotherMaxParallelism(TidemarkJob job) {
        Fixture fixture = Fixture.of(job.name()).get(0);

        GateReport report = SavepointGate.check(job, fixture.savepoint(), 64, Set.of());

        assertThat(report.passes()).isFalse();
        assertThat(report.render()).contains("max parallelism 128 in the savepoint, 64");
    }
}
