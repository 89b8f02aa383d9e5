package io.tidemark.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's shape, without a cluster: what {@link DashboardMetricsITCase} cannot see. That
 * every metric it plots exists is checked there, against a real scrape.
 */
class GrafanaDashboardTest {

    static final Path README = Path.of("../flink-conf/grafana/README.md");

    /** What the dashboard must plot: one metric per required panel. */
    static final List<String> REQUIRED =
            List.of(
                    "flink_taskmanager_job_task_operator_tidemark_read",
                    "flink_taskmanager_job_task_operator_tidemark_late",
                    "flink_taskmanager_job_task_operator_tidemark_reason_dlq",
                    "flink_taskmanager_job_task_operator_tidemark_duplicates",
                    "flink_taskmanager_job_task_operator_tidemark_maxEventTime",
                    "flink_taskmanager_job_task_operator_tidemark_watermark",
                    "flink_taskmanager_job_task_operator_tidemark_partition_maxEventTime",
                    "flink_jobmanager_job_lastCheckpointDuration",
                    "flink_jobmanager_job_lastCheckpointSize",
                    "flink_jobmanager_job_numRestarts");

    @Test
    void readsMetricAndLabelNamesOutOfPromQl() {
        GrafanaDashboard.Query query =
                new GrafanaDashboard.Query(
                        "DLQ",
                        "sum by (job_name, reason) (rate(flink_x_reason_dlq{job_name=~\"$job\","
                                + " reason!=\"LATE\"}[$__rate_interval])) > 0",
                        "{{job_name}} {{reason}}");
        assertThat(query.metrics()).containsExactly("flink_x_reason_dlq");
        assertThat(query.labels()).containsExactlyInAnyOrder("job_name", "reason");
        assertThat(query.groupedBy()).containsExactlyInAnyOrder("job_name", "reason");
        assertThat(query.legendLabels()).containsExactlyInAnyOrder("job_name", "reason");
        assertThat(
                        new GrafanaDashboard.Query(
                                        "variable", "label_values(flink_y_read, job_name)", null)
                                .labels())
                .containsExactly("job_name");
    }

    @Test
    void plotsEveryRequiredMetric() throws Exception {
        assertThat(GrafanaDashboard.read().metrics()).containsAll(REQUIRED);
    }

    @Test
    void everyPanelQueriesThePrometheusVariableAndTheJobFilter() throws Exception {
        GrafanaDashboard dashboard = GrafanaDashboard.read();
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode panel : dashboard.panels()) {
            String title = panel.path("title").asText();
            soft.assertThat(panel.path("datasource").path("uid").asText())
                    .as("%s: datasource", title)
                    .isEqualTo("${datasource}");
            soft.assertThat(panel.path("targets").size()).as("%s: targets", title).isPositive();
        }
        for (GrafanaDashboard.Query query : dashboard.queries()) {
            soft.assertThat(query.metrics()).as("%s: reads a metric", query.where()).isNotEmpty();
            if (!query.where().startsWith("variable")) {
                soft.assertThat(query.expr())
                        .as("%s: filtered by the job variable", query.where())
                        .contains("job_name=~\"$job\"");
                // A legend can only show labels the aggregation keeps.
                soft.assertThat(query.groupedBy())
                        .as("%s: legend %s", query.where(), query.legend())
                        .containsAll(query.legendLabels());
            }
        }
        soft.assertAll();
    }

    @Test
    void panelsDoNotOverlap() throws Exception {
        List<JsonNode> all =
                List.copyOf(GrafanaDashboard.read().json().path("panels").findParents("gridPos"));
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                JsonNode a = all.get(i).path("gridPos");
                JsonNode b = all.get(j).path("gridPos");
                boolean overlap =
                        a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                                && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                                && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                                && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
                assertThat(overlap)
                        .as(
                                "%s and %s overlap",
                                all.get(i).path("title").asText(),
                                all.get(j).path("title").asText())
                        .isFalse();
            }
        }
    }

    @Test
    void theReadmeDocumentsEveryMetricTheDashboardPlots() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        for (String metric : GrafanaDashboard.read().metrics()) {
            assertThat(readme).as("README documents %s", metric).contains("`" + metric);
        }
    }
}
