package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.local.replay.ReplayResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The demo's result tables, on the hand-worked expected outputs of sample scenarios: enriched
 * orders and revenue windows as rows (they were printed as raw JSON), and the late and DLQ counts.
 */
class ResultTablesTest {

    private static final Path SAMPLES = Path.of("..", DemoCommand.SAMPLE_DATA);

    private static final String LATE =
            "{\"reasonCode\":\"LATE\",\"topic\":\"orders\",\"partition\":0,\"offset\":7}";
    private static final String DLQ_KEY =
            "{\"reasonCode\":\"MISSING_KEY\",\"topic\":\"orders\",\"partition\":0,\"offset\":5}";
    private static final String DLQ_FIELD =
            "{\"reasonCode\":\"INVALID_FIELD\",\"topic\":\"orders\",\"partition\":1,\"offset\":0}";

    private static String print(
            Map<String, List<String>> outputs, List<String> late, List<String> dlq) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            ResultTables.print(
                    out, new ReplayResult(new TreeMap<>(outputs), late, dlq, new TreeMap<>()), 12);
        }
        return text.toString();
    }

    private static List<String> lines(String scenario, String file) throws IOException {
        return Files.readAllLines(SAMPLES.resolve(scenario).resolve(file), StandardCharsets.UTF_8);
    }

    @Test
    void enrichedOrdersAreRowsWithItemsCustomerRegionAndTotal() throws IOException {
        String text =
                print(
                        Map.of(
                                "output",
                                lines("enrichment/customer-moves-region", "expected.jsonl")),
                        List.of(LATE),
                        List.of(DLQ_KEY, DLQ_FIELD, DLQ_FIELD));

        assertThat(text)
                .doesNotContain("{")
                .contains("ORDER", "CUSTOMER", "REGION", "TOTAL", "ITEMS")
                .containsPattern(
                        "o-1 +2026-11-01T09:59:59.999Z +k-1 +EU +20.00 EUR +1× p-1 Atlas \\(books\\)")
                .containsPattern("o-2 .* k-1 +US +20.00 USD +1× p-1 Atlas \\(books\\)")
                .endsWith("  1 late, 3 DLQ (INVALID_FIELD 2, MISSING_KEY 1)\n");
    }

    @Test
    void ordersWithoutAProductVersionSayso() throws IOException {
        String text =
                print(
                        Map.of(
                                "output",
                                lines(
                                        "enrichment/order-before-any-product-version",
                                        "expected.jsonl")),
                        List.of(),
                        List.of());

        assertThat(text).contains("(no product version)").endsWith("  0 late, 0 DLQ\n");
    }

    @Test
    void revenueWindowsAreRowsPerOutputWithCategoryRegionCurrencyAndRevenue() throws IOException {
        String text =
                print(
                        Map.of(
                                "output-1m", lines("revenue/empty-minute", "expected-1m.jsonl"),
                                "output-1h", lines("revenue/empty-minute", "expected-1h.jsonl")),
                        List.of(),
                        List.of());

        assertThat(text)
                .doesNotContain("{")
                .contains("WINDOW (UTC)", "CATEGORY", "REGION", "CURRENCY", "REVENUE")
                .containsPattern("2026-11-01 10:03-10:04 +books +EU +EUR +1 +2 +40.00")
                .containsPattern("2026-11-01 10:00-11:00 +home +EU +EUR +1 +1 +45.00");
        assertThat(text.indexOf("output-1h:")).isLessThan(text.indexOf("output-1m:"));
    }

    @Test
    void amountsUseTheCurrencysMinorUnits() {
        assertThat(ResultTables.amount(8000, "EUR")).isEqualTo("80.00");
        assertThat(ResultTables.amount(8000, "JPY")).isEqualTo("8000");
        assertThat(ResultTables.amount(8000, "XYZ")).isEqualTo("8000 minor");
    }
}
