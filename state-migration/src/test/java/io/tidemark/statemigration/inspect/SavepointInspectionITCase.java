package io.tidemark.statemigration.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.statemigration.fixtures.Fixture;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code savepoint inspect} on the committed fixtures, whose contents the fixture input pins. */
class SavepointInspectionITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    @Test
    void sessionizationShowsPartitionMaximaDedupIdsAndOpenSessionsPerUser() throws Exception {
        SavepointInspection inspection =
                SavepointInspection.of(Fixture.of("sessionization").get(0).savepoint(), Map.of());

        assertThat(keys(inspection, "sessionization.classify.clicks"))
                .extracting(row -> row.f0)
                .containsExactly("clicks/0", "clicks/1");
        assertThat(keys(inspection, "sessionization.dedup")).isNotEmpty();
        SavepointInspection.Operator sessions = operator(inspection, "sessionization.sessions");
        assertThat(sessions.openWindows()).isPositive();
        assertThat(sessions.keys())
                .allSatisfy(
                        row -> {
                            assertThat(row.f0).startsWith("user-");
                            assertThat(row.f1)
                                    .allSatisfy(
                                            w ->
                                                    assertThat(w)
                                                            .matches(
                                                                    "\\[2026-11-01T\\S+Z,"
                                                                            + " 2026-11-01T\\S+Z\\)"));
                        });
        assertThat(inspection.render())
                .contains("sessionization.sessions")
                .contains("merging-window-set")
                .contains("open windows: " + sessions.openWindows());
    }

    @Test
    void enrichmentShowsDimensionVersionsPerProductAndCustomer() throws Exception {
        SavepointInspection inspection =
                SavepointInspection.of(Fixture.of("enrichment").get(0).savepoint(), Map.of());

        assertThat(keys(inspection, "enrichment.join-product"))
                .extracting(row -> row.f0)
                .allSatisfy(key -> assertThat(key).startsWith("p-"));
        assertThat(keys(inspection, "enrichment.join-customer"))
                .extracting(row -> row.f0)
                .isNotEmpty()
                .allSatisfy(key -> assertThat(key).startsWith("cust-"));
        assertThat(inspection.render()).contains("product-versions").contains("MAP");
    }

    private static SavepointInspection.Operator operator(
            SavepointInspection inspection, String uid) {
        return inspection.operators().stream()
                .filter(o -> o.contents().uid().equals(uid))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no operator " + uid));
    }

    private static List<Tuple2<String, List<String>>> keys(
            SavepointInspection inspection, String uid) {
        List<Tuple2<String, List<String>>> keys = operator(inspection, uid).keys();
        assertThat(keys).as("%s keys were read", uid).isNotNull();
        return keys;
    }
}
