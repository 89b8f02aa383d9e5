package io.tidemark.jobs.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.testing.graph.JobGraphs;
import org.junit.jupiter.api.Test;

/**
 * {@link RevenueUids} is the job's uid manifest: the graph the job builds holds exactly the uids it
 * declares, so renaming, adding or dropping an operator fails here before it can orphan savepoint
 * state.
 */
class RevenueUidsTest {

    @Test
    void graphHoldsExactlyTheDeclaredUids() {
        assertThat(JobGraphs.uids(new RevenueJob()))
                .containsExactlyInAnyOrderElementsOf(RevenueUids.all());
    }

    @Test
    void declaredUidsAreUniqueAndCarryTheJobsFixedName() {
        assertThat(RevenueUids.all())
                .doesNotHaveDuplicates()
                .allMatch(uid -> uid.matches("(Sink Committer: )?" + RevenueUids.JOB + "\\..+"));
    }

    @Test
    void uidsDoNotFollowTheConfigurableJobName() {
        assertThat(
                        JobGraphs.uids(
                                new RevenueJob(),
                                java.util.Map.of("job.name", "renamed-deployment")))
                .containsExactlyInAnyOrderElementsOf(RevenueUids.all());
    }
}
