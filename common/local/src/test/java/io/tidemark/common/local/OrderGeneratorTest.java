package io.tidemark.common.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.schemas.AvroJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderGeneratorTest {

    private static final OrderGenerator.Spec SPEC =
            OrderGenerator.Spec.builder().seed(3).orders(300).partitions(3).build();

    @Test
    void sameSeedGivesIdenticalStreams() {
        assertThat(OrderGenerator.generate(SPEC)).isEqualTo(OrderGenerator.generate(SPEC));
        assertThat(OrderGenerator.generate(SPEC.toBuilder().seed(4).build()).orders())
                .isNotEqualTo(OrderGenerator.generate(SPEC).orders());
    }

    @Test
    void everyStreamLoadsAsItsType() {
        OrderGenerator.Output out = OrderGenerator.generate(SPEC);

        assertThat(JsonLinesLoader.toRecords(out.orders(), "o", "orders", "Order", 3))
                .hasSize(out.orders().size());
        assertThat(JsonLinesLoader.toRecords(out.products(), "p", "products", "ProductChange", 3))
                .hasSize(out.products().size());
        assertThat(
                        JsonLinesLoader.toRecords(
                                out.customers(), "c", "customers", "CustomerChange", 3))
                .hasSize(out.customers().size());
    }

    @Test
    void changelogsStartWithASnapshotAndUseEveryOp() {
        List<JsonNode> products = parse(OrderGenerator.generate(SPEC).products());

        assertThat(products.subList(0, SPEC.products()))
                .allSatisfy(c -> assertThat(c.get("op").textValue()).isEqualTo("r"));
        assertThat(products)
                .filteredOn(c -> c.has("op"))
                .extracting(c -> c.get("op").textValue())
                .contains("r", "u", "c", "d");
    }

    @Test
    void ordersHaveOneToFourLinesInAKnownCurrencyAndAreInTimeOrder() {
        List<JsonNode> orders = parse(OrderGenerator.generate(SPEC).orders());

        long previous = Long.MIN_VALUE;
        for (JsonNode order : orders) {
            if (order.has("_type")) {
                continue;
            }
            assertThat(order.get("lines").size()).isBetween(1, 4);
            assertThat(order.get("currency").textValue()).isIn(Catalog.CURRENCIES);
            long time = AvroJson.parseInstant(order.get("eventTime").textValue());
            assertThat(time).isGreaterThan(previous);
            previous = time;
        }
    }

    private static List<JsonNode> parse(List<String> lines) {
        return lines.stream()
                .map(
                        l -> {
                            try {
                                return AvroJson.MAPPER.readTree(l);
                            } catch (Exception e) {
                                throw new AssertionError(l, e);
                            }
                        })
                .toList();
    }
}
