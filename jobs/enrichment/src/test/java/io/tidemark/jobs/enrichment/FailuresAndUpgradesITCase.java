package io.tidemark.jobs.enrichment;

import io.tidemark.common.local.OrderGenerator;
import io.tidemark.common.local.ShopPerturbations;
import io.tidemark.common.postgres.ReadModelReader;
import io.tidemark.common.testing.EmbeddedPostgresExtension;
import io.tidemark.common.testing.ReadModelTables;
import io.tidemark.common.testing.failures.FailuresAndUpgradesSuite;
import io.tidemark.jobs.enrichment.reference.EnrichmentReferenceModel;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Injected failures, TaskManager loss and a savepoint restored at another parallelism never change
 * what the enrichment job commits: the shared {@link FailuresAndUpgradesSuite} on a seeded,
 * perturbed shop (late and out-of-order records, bad records of every kind). The order ids {@code
 * o-000001…} are the per-key sequence: a lost order shows as a missing id, a replayed one as a
 * second record.
 */
class FailuresAndUpgradesITCase extends FailuresAndUpgradesSuite {

    private static final long SEED = Long.getLong("tidemark.seed", 20261126L);
    private static final int PARTITIONS = 2;

    private static final Subject SUBJECT =
            new Subject(new EnrichmentJob(), shop().inputs(), "orders", PARTITIONS, SEED);

    private static ShopPerturbations.Shop shop() {
        OrderGenerator.Spec spec =
                OrderGenerator.Spec.builder()
                        .seed(SEED)
                        .orders(5_000)
                        .customers(400)
                        .products(60)
                        .partitions(PARTITIONS)
                        .productUpdates(200)
                        .customerUpdates(150)
                        .heartbeats(true)
                        .build();
        return ShopPerturbations.apply(
                OrderGenerator.generate(spec),
                spec,
                SEED,
                EnrichmentReferenceModel.DEFAULT_BOUND_MS,
                1);
    }

    /** The TaskManager-loss run writes the read model too; its tables must equal the topics. */
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @Override
    protected ReadModelTables readModel() {
        return new ReadModelTables(POSTGRES, Map.of("output", ReadModelReader::orders));
    }

    @Override
    protected Subject subject() {
        return SUBJECT;
    }
}
