package io.tidemark.jobs.revenue;

import io.tidemark.common.local.OrderGenerator;
import io.tidemark.common.local.ShopPerturbations;
import io.tidemark.common.postgres.tables.RevenueTable;
import io.tidemark.common.testing.EmbeddedPostgresExtension;
import io.tidemark.common.testing.ReadModelTables;
import io.tidemark.common.testing.failures.FailuresAndUpgradesSuite;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Injected failures, TaskManager loss and a savepoint restored at another parallelism never change
 * what the revenue job commits: the shared {@link FailuresAndUpgradesSuite} on a seeded, perturbed
 * shop. Window keys ({@code category|region|currency|windowStart}) are the per-key sequence: a lost
 * window shows as a missing key, a replayed one as a second record.
 */
class FailuresAndUpgradesITCase extends FailuresAndUpgradesSuite {

    private static final long SEED = Long.getLong("tidemark.seed", 20261126L);
    private static final int PARTITIONS = 2;
    private static final long BOUND_MS = 2_000;

    private static final Subject SUBJECT =
            new Subject(new RevenueJob(), shop().inputs(), "orders", PARTITIONS, SEED);

    private static ShopPerturbations.Shop shop() {
        OrderGenerator.Spec spec =
                OrderGenerator.Spec.builder()
                        .seed(SEED)
                        .orders(3_000)
                        .customers(300)
                        .products(50)
                        .partitions(PARTITIONS)
                        .productUpdates(120)
                        .customerUpdates(90)
                        .heartbeats(true)
                        .build();
        return ShopPerturbations.apply(OrderGenerator.generate(spec), spec, SEED, BOUND_MS, 1);
    }

    /** The TaskManager-loss run writes the read model too; its tables must equal the topics. */
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @Override
    protected ReadModelTables readModel() {
        return readModel(POSTGRES);
    }

    /** The revenue job's tables: {@code revenue-1m} → {@code revenue_1m}, 1h → 1h. */
    static ReadModelTables readModel(EmbeddedPostgresExtension postgres) {
        return new ReadModelTables(
                postgres,
                Map.of(
                        "output-1m",
                        r -> r.revenue(RevenueTable.MINUTES),
                        "output-1h",
                        r -> r.revenue(RevenueTable.HOURS)));
    }

    @Override
    protected Subject subject() {
        return SUBJECT;
    }
}
