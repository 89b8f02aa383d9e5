package io.tidemark.jobs.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.testing.graph.JobGraphs;
import org.junit.jupiter.api.Test;

/**
 * {@link EnrichmentUids} is the job's uid manifest: the graph the job builds holds exactly the uids
 * it declares, so renaming, adding or dropping an operator fails here before it can orphan
 * savepoint state.
 */
class EnrichmentUidsTest {

    @Test
    void graphHoldsExactlyTheDeclaredUids() {
        assertThat(JobGraphs.uids(new EnrichmentJob()))
                .containsExactlyInAnyOrderElementsOf(EnrichmentUids.all());
    }

    @Test
    void declaredUidsAreUniqueAndCarryTheJobsFixedName() {
        assertThat(EnrichmentUids.all())
                .doesNotHaveDuplicates()
                .allMatch(uid -> uid.matches("(Sink Committer: )?" + EnrichmentUids.JOB + "\\..+"));
    }

    @Test
    void uidsDoNotFollowTheConfigurableJobName() {
        assertThat(
                        JobGraphs.uids(
                                new EnrichmentJob(),
                                java.util.Map.of("job.name", "renamed-deployment")))
                .containsExactlyInAnyOrderElementsOf(EnrichmentUids.all());
    }
}
