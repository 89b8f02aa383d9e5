package io.tidemark.statemigration.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.jobs.enrichment.EnrichmentJob;
import io.tidemark.jobs.revenue.RevenueJob;
import io.tidemark.jobs.sessionization.SessionizationJob;
import io.tidemark.statemigration.fixtures.Fixture;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gate on real savepoints: every committed fixture of every released version passes for the
 * current job (the fixture ITCase then proves the restore itself), and the same savepoint is
 * refused for a job configured with another max parallelism.
 */
class CommittedFixturesPassTheGateTest {

    static Stream<TidemarkJob> jobs() {
        return Stream.of(new SessionizationJob(), new EnrichmentJob(), new RevenueJob());
    }

    static Stream<TidemarkJob> joinJobs() {
        return Stream.of(new EnrichmentJob(), new RevenueJob());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void everyCommittedSavepointPassesForTheCurrentJob(TidemarkJob job) {
        List<Fixture> fixtures = Fixture.of(job.name());
        assertThat(fixtures).isNotEmpty();
        for (Fixture fixture : fixtures) {
            GateReport report = SavepointGate.check(job, fixture.savepoint(), 128, Set.of());
            assertThat(report.passes()).as(report.render()).isTrue();
            assertThat(report.render()).startsWith("COMPATIBLE");
        }
    }

    /**
     * 0.2.0 added the dedup of orders ({@code <job>.dedup.orders}) to enrichment and revenue: a
     * 0.1.0 savepoint has no state for it, which the gate lets through with a note (the operator
     * starts empty), and nothing else changed.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("joinJobs")
    void releasedFixturesOfTheJoinJobsResumeWithTheOrderDedupStartingEmpty(TidemarkJob job) {
        GateReport report =
                SavepointGate.check(
                        job, Fixture.at(job.name(), "0.1.0").savepoint(), 128, Set.of());
        assertThat(report.passes()).as(report.render()).isTrue();
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
