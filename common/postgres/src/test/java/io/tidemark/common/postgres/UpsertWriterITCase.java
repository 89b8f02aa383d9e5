package io.tidemark.common.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.common.postgres.tables.OrdersEnrichedTable;
import io.tidemark.common.postgres.tables.RevenueTable;
import io.tidemark.common.postgres.tables.UserSessionsTable;
import io.tidemark.common.runtime.record.ErrorEnvelopes;
import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.EnrichedOrderLine;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import io.tidemark.common.schemas.RevenueAggregate;
import io.tidemark.common.schemas.SingleObjectCodec;
import io.tidemark.common.schemas.UserSession;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer on a real PostgreSQL, driven by Flink's operator harness: when rows become visible,
 * idempotence, rejected rows, failures.
 */
class UpsertWriterITCase {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final PostgresConfig config = Databases.start();

    @BeforeEach
    void freshReadModel() throws Exception {
        Databases.freshReadModel(config);
    }

    @Test
    void rowsBecomeVisibleBeforeTheBarrierNotBefore() throws Exception {
        try (var harness = revenueHarness(config)) {
            harness.processElement(record(revenue("books", 0, 1_000)));
            harness.processElement(record(revenue("games", 0, 2_000)));

            assertThat(Databases.count(config, "revenue_1m")).isZero();

            harness.prepareSnapshotPreBarrier(1);

            assertThat(Databases.count(config, "revenue_1m")).isEqualTo(2);
            assertThat(harness.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aFullBatchIsWrittenBetweenBarriers() throws Exception {
        PostgresConfig small = config.with(Map.of("sink.postgres.batch-size", "2"));
        try (var harness = revenueHarness(small)) {
            for (int minute = 0; minute < 3; minute++) {
                harness.processElement(record(revenue("books", minute, 100)));
            }

            assertThat(Databases.count(config, "revenue_1m")).isEqualTo(2);
        }
    }

    @Test
    void writingTheSameResultsAgainLeavesEveryRowAsItWas() throws Exception {
        List<RevenueAggregate> results =
                List.of(revenue("books", 0, 1_000), revenue("games", 0, 2_000));
        write(results);
        Map<String, String> before = rowVersions();

        write(results);

        assertThat(read()).containsExactlyElementsOf(results);
        // Unchanged rows are not even rewritten: a replay creates no new row versions.
        assertThat(rowVersions()).isEqualTo(before);
    }

    @Test
    void aChangedResultReplacesItsRow() throws Exception {
        write(List.of(revenue("books", 0, 1_000)));

        write(List.of(revenue("books", 0, 1_500)));

        assertThat(read()).containsExactly(revenue("books", 0, 1_500));
    }

    @Test
    void aRowTheDatabaseRejectsLeavesAsAnEnvelopeAndTheOthersAreWritten() throws Exception {
        Databases.execute(
                config,
                "ALTER TABLE revenue_1m ADD CONSTRAINT revenue_not_negative"
                        + " CHECK (revenue_minor >= 0)");
        RevenueAggregate refund = revenue("games", 0, -500);
        List<ErrorEnvelope> envelopes;
        try (var harness = revenueHarness(config)) {
            harness.processElement(record(revenue("books", 0, 1_000)));
            harness.processElement(record(refund));
            harness.processElement(record(revenue("toys", 0, 700)));
            harness.prepareSnapshotPreBarrier(1);
            envelopes = harness.extractOutputValues();
        }

        assertThat(read()).containsExactly(revenue("books", 0, 1_000), revenue("toys", 0, 700));
        assertThat(envelopes).hasSize(1);
        ErrorEnvelope envelope = envelopes.get(0);
        assertThat(envelope.getReasonCode()).isEqualTo(ReasonCode.INVALID_FIELD);
        assertThat(envelope.getTopic()).isEqualTo("revenue-1m");
        assertThat(envelope.getPartition()).isEqualTo(ErrorEnvelopes.NO_POSITION);
        assertThat(envelope.getMessage())
                .startsWith("PostgreSQL table revenue_1m rejected")
                .contains(key(refund))
                .contains("SQLSTATE 23514")
                .contains("revenue_not_negative");
        assertThat(ErrorEnvelopes.key(envelope)).isEqualTo("revenue-1m/" + key(refund));
        assertThat(SingleObjectCodec.of(RevenueAggregate.class).decode(bytes(envelope)).record())
                .isEqualTo(refund);
        assertThat(envelope.getRecordTimestamp()).isEqualTo(refund.getWindowStart());
    }

    @Test
    void anUnreachableDatabaseFailsTheTaskAfterTheRetriesNamingTheUrl() throws Exception {
        String dead = Databases.deadUrl();
        PostgresConfig down =
                PostgresConfig.forUrl(dead, "postgres")
                        .with(
                                Map.of(
                                        "sink.postgres.max-retries", "1",
                                        "sink.postgres.retry-backoff", "0 ms",
                                        "sink.postgres.connect-timeout", "1 s"));
        // Not closed: closing finishes the operator, which would try to write again (a failed
        // task is cancelled, never finished).
        var harness = revenueHarness(down);
        harness.processElement(record(revenue("books", 0, 1_000)));

        assertThatThrownBy(() -> harness.prepareSnapshotPreBarrier(1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dead)
                .hasMessageContaining("failed 2 times")
                .hasMessageContaining("restarts from its last checkpoint");
    }

    @Test
    void anOrderAndItsLinesReadBackAsWrittenAndSurplusLinesGo() throws Exception {
        EnrichedOrder three = order("o-1", 3);
        EnrichedOrder two = order("o-1", 2);
        OrdersEnrichedTable table = new OrdersEnrichedTable(EnrichedOrder::getOrderId);
        try (var harness = harness(new UpsertWriter<>(config, table, "enrichment", "oe"))) {
            harness.processElement(record(three, three.getEventTime()));
            harness.prepareSnapshotPreBarrier(1);
            assertThat(orders()).containsExactly(three);

            harness.processElement(record(two, two.getEventTime()));
            harness.prepareSnapshotPreBarrier(2);
        }

        assertThat(orders()).containsExactly(two);
        assertThat(Databases.count(config, "order_lines")).isEqualTo(2);
    }

    @Test
    void aSessionReadsBackAsWritten() throws Exception {
        UserSession session =
                UserSession.newBuilder()
                        .setSessionId("u-1@" + T0)
                        .setUserId("u-1")
                        .setStart(T0)
                        .setEnd(T0.plusSeconds(90))
                        .setDurationMs(90_000)
                        .setEvents(4)
                        .setPageViews(1)
                        .setProductViews(2)
                        .setAddToCarts(1)
                        .setCheckouts(0)
                        .setProducts(List.of("p-1", "p-2"))
                        .setConverted(false)
                        .build();
        UserSessionsTable table = new UserSessionsTable(UserSession::getSessionId);
        try (var harness = harness(new UpsertWriter<>(config, table, "sessionization", "us"))) {
            harness.processElement(record(session, T0));
            harness.prepareSnapshotPreBarrier(1);
        }

        try (Connection c = config.connect()) {
            assertThat(new ReadModelReader(c).sessions()).containsExactly(session);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static OneInputStreamOperatorTestHarness<RevenueAggregate, ErrorEnvelope>
            revenueHarness(PostgresConfig config) throws Exception {
        return harness(
                new UpsertWriter<>(
                        config,
                        RevenueTable.minutes(UpsertWriterITCase::key),
                        "revenue",
                        "revenue-1m"));
    }

    private static <T> OneInputStreamOperatorTestHarness<T, ErrorEnvelope> harness(
            OneInputStreamOperator<T, ErrorEnvelope> operator) throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(operator);
        harness.open();
        return harness;
    }

    private void write(List<RevenueAggregate> results) throws Exception {
        try (var harness = revenueHarness(config)) {
            for (RevenueAggregate r : results) {
                harness.processElement(record(r));
            }
            harness.prepareSnapshotPreBarrier(1);
        }
    }

    private List<RevenueAggregate> read() throws Exception {
        try (Connection c = config.connect()) {
            return new ReadModelReader(c).revenue(RevenueTable.MINUTES);
        }
    }

    private List<EnrichedOrder> orders() throws Exception {
        try (Connection c = config.connect()) {
            return new ReadModelReader(c).orders();
        }
    }

    /** Each row's version ({@code xmin}: the transaction that wrote it), by category. */
    private Map<String, String> rowVersions() throws Exception {
        Map<String, String> versions = new java.util.TreeMap<>();
        try (Connection c = config.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT category, xmin::text FROM revenue_1m")) {
            while (r.next()) {
                versions.put(r.getString(1), r.getString(2));
            }
        }
        return versions;
    }

    private static StreamRecord<RevenueAggregate> record(RevenueAggregate r) {
        return record(r, r.getWindowStart());
    }

    private static <T> StreamRecord<T> record(T value, Instant time) {
        return new StreamRecord<>(value, time.toEpochMilli());
    }

    private static RevenueAggregate revenue(String category, int minute, long revenueMinor) {
        Instant start = T0.plusSeconds(60L * minute);
        return RevenueAggregate.newBuilder()
                .setWindowStart(start)
                .setWindowEnd(start.plusSeconds(60))
                .setCategory(category)
                .setRegion("EU")
                .setCurrency("EUR")
                .setOrders(1)
                .setUnits(2)
                .setRevenueMinor(revenueMinor)
                .build();
    }

    private static String key(RevenueAggregate a) {
        return a.getCategory()
                + "|"
                + a.getRegion()
                + "|"
                + a.getCurrency()
                + "|"
                + a.getWindowStart();
    }

    private static EnrichedOrder order(String id, int lines) {
        List<EnrichedOrderLine> list = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            list.add(
                    EnrichedOrderLine.newBuilder()
                            .setProductId("p-" + i)
                            .setQuantity(i + 1)
                            .setUnitPriceMinor(250)
                            .setProductFound(i != 1)
                            .setProductName(i != 1 ? "product " + i : null)
                            .setCategory(i != 1 ? "books" : null)
                            .setListPriceMinor(i != 1 ? 300L : null)
                            .setProductVersionTsMs(i != 1 ? 1_000L : null)
                            .build());
        }
        return EnrichedOrder.newBuilder()
                .setOrderId(id)
                .setCustomerId("c-1")
                .setEventTime(T0)
                .setCurrency("EUR")
                .setCustomerFound(true)
                .setCustomerSegment("gold")
                .setCustomerRegion("EU")
                .setCustomerVersionTsMs(500L)
                .setLines(list)
                .build();
    }

    private static byte[] bytes(ErrorEnvelope envelope) {
        var buffer = envelope.getValue().duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
