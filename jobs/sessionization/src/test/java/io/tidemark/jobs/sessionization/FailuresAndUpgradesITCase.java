package io.tidemark.jobs.sessionization;

import io.tidemark.common.local.ClickGenerator;
import io.tidemark.common.postgres.ReadModelReader;
import io.tidemark.common.testing.EmbeddedPostgresExtension;
import io.tidemark.common.testing.ReadModelTables;
import io.tidemark.common.testing.failures.FailuresAndUpgradesSuite;
import io.tidemark.jobs.sessionization.reference.SessionReferenceModel;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Injected failures, TaskManager loss and a savepoint restored at another parallelism never change
 * the sessions the job commits: the shared {@link FailuresAndUpgradesSuite} on a seeded, messy
 * click stream (disorder within B, late clicks, duplicates, bad records of every reason). Session
 * ids ({@code userId@start}) are the per-key sequence: a lost session shows as a missing id, a
 * replayed one as a second record.
 */
class FailuresAndUpgradesITCase extends FailuresAndUpgradesSuite {

    private static final long SEED = Long.getLong("tidemark.seed", 0x5E55_FA11L);
    private static final int PARTITIONS = 4;

    private static final Subject SUBJECT =
            new Subject(
                    new SessionizationJob(),
                    Map.of("clicks", ClickGenerator.generate(spec())),
                    "clicks",
                    PARTITIONS,
                    SEED);

    private static ClickGenerator.Spec spec() {
        return ClickGenerator.Spec.builder()
                .seed(SEED)
                .events(20_000)
                .users(500)
                .partitions(PARTITIONS)
                .boundMs(SessionReferenceModel.DEFAULT_BOUND_MS)
                .fractionWithinBound(0.2)
                .fractionLate(0.01)
                .fractionDuplicates(0.01)
                .badPerReason(3)
                .heartbeats(true)
                .build();
    }

    /** The TaskManager-loss run writes the read model too; its tables must equal the topics. */
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @Override
    protected ReadModelTables readModel() {
        return new ReadModelTables(POSTGRES, Map.of("output", ReadModelReader::sessions));
    }

    @Override
    protected Subject subject() {
        return SUBJECT;
    }
}
