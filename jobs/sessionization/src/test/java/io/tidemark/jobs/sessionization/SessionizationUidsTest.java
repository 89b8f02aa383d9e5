package io.tidemark.jobs.sessionization;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.testing.graph.JobGraphs;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionizationUids} is the job's uid manifest: the graph the job builds holds exactly the
 * uids it declares, so renaming, adding or dropping an operator fails here before it can orphan
 * savepoint state.
 */
class SessionizationUidsTest {

    @Test
    void graphHoldsExactlyTheDeclaredUids() {
        assertThat(JobGraphs.uids(new SessionizationJob()))
                .containsExactlyInAnyOrderElementsOf(SessionizationUids.all());
    }

    @Test
    void declaredUidsAreUniqueAndCarryTheJobsFixedName() {
        assertThat(SessionizationUids.all())
                .doesNotHaveDuplicates()
                .allMatch(
                        uid ->
                                uid.matches(
                                        "(Sink Committer: )?" + SessionizationUids.JOB + "\\..+"));
    }

    @Test
    void uidsDoNotFollowTheConfigurableJobName() {
        assertThat(
                        JobGraphs.uids(
                                new SessionizationJob(),
                                java.util.Map.of("job.name", "renamed-deployment")))
                .containsExactlyInAnyOrderElementsOf(SessionizationUids.all());
    }

    @Test
    void withIdlenessOnlyTheStatelessLateAfterIdleStageIsAdded() {
        java.util.List<String> uids =
                JobGraphs.uids(
                        new SessionizationJob(), java.util.Map.of("event-time.idleness", "1 min"));

        assertThat(uids)
                .containsAll(SessionizationUids.all())
                .contains("sessionization.late-after-idle.clicks")
                .hasSize(SessionizationUids.all().size() + 1);
    }
}
