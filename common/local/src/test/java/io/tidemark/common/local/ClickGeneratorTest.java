package io.tidemark.common.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.common.schemas.AvroJson;
import io.tidemark.common.schemas.ReasonCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClickGeneratorTest {

    private static final long BOUND_MS = 2000;

    private static ClickGenerator.Spec.Builder spec() {
        return ClickGenerator.Spec.builder().seed(7).events(5000).users(40).partitions(3);
    }

    @Test
    void sameSeedGivesIdenticalLines() {
        ClickGenerator.Spec spec = spec().badPerReason(3).build();

        assertThat(ClickGenerator.generate(spec)).isEqualTo(ClickGenerator.generate(spec));
    }

    @Test
    void differentSeedsGiveDifferentLines() {
        assertThat(ClickGenerator.generate(spec().seed(1).build()))
                .isNotEqualTo(ClickGenerator.generate(spec().seed(2).build()));
    }

    @Test
    void everyLineLoadsAndCarriesTheMurmur2PartitionOfItsKey() {
        List<String> lines = ClickGenerator.generate(spec().badPerReason(2).build());

        var records = JsonLinesLoader.toRecords(lines, "gen", "clicks", "Click", 3);

        assertThat(records).hasSize(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = parse(lines.get(i));
            assertThat(records.get(i).partition()).isEqualTo(line.get("_partition").intValue());
            if (line.hasNonNull("userId") && !line.has("_key")) {
                assertThat(line.get("_partition").intValue())
                        .isEqualTo(KeyPartitioner.partitionFor(line.get("userId").textValue(), 3));
            }
        }
    }

    @Test
    void makesTheRequestedNumberOfBadRecordsPerReason() {
        List<String> lines = ClickGenerator.generate(spec().badPerReason(4).build());

        Map<ReasonCode, Integer> counts = new EnumMap<>(ReasonCode.class);
        for (String line : lines) {
            ReasonCode reason = classify(parse(line));
            if (reason != null) {
                counts.merge(reason, 1, Integer::sum);
            }
        }

        assertThat(counts).hasSize(6);
        assertThat(counts.values()).containsOnly(4);
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(ClickGenerator.BAD_REASONS);
    }

    @Test
    void lateFractionIsRoughlyAsAskedByTheLatenessRule() {
        int events = 20_000;
        List<String> lines =
                ClickGenerator.generate(
                        spec().events(events).fractionLate(0.05).badPerReason(5).build());

        // late ⇔ eventTime < max(previous valid event times in the partition) − B; bad records
        // and heartbeats never advance the maximum.
        long[] max = new long[3];
        Arrays.fill(max, Long.MIN_VALUE);
        int late = 0;
        for (String text : lines) {
            JsonNode line = parse(text);
            if (classify(line) != null || line.has("_type")) {
                continue;
            }
            int p = line.get("_partition").intValue();
            long eventTime = AvroJson.parseInstant(line.get("eventTime").textValue());
            if (max[p] != Long.MIN_VALUE && eventTime < max[p] - BOUND_MS) {
                late++;
            }
            max[p] = Math.max(max[p], eventTime);
        }

        assertThat((double) late / events).isCloseTo(0.05, within(0.01));
    }

    @Test
    void duplicatesRepeatAnEarlierEventIdWithTheSameContentAndAreNotLate() {
        List<String> lines =
                ClickGenerator.generate(spec().fractionDuplicates(0.05).fractionLate(0).build());

        Set<String> seenIds = new HashSet<>();
        Set<String> seenLines = new HashSet<>();
        int duplicates = 0;
        for (String line : lines) {
            JsonNode node = parse(line);
            if (!node.has("eventId")) {
                continue;
            }
            if (!seenIds.add(node.get("eventId").textValue())) {
                duplicates++;
                assertThat(seenLines).contains(line);
            }
            seenLines.add(line);
        }

        assertThat((double) duplicates / 5000).isCloseTo(0.05, within(0.015));
    }

    @Test
    void endsWithOneHeartbeatPerPartitionAfterEveryEventTime() {
        List<String> lines = ClickGenerator.generate(spec().build());

        List<JsonNode> heartbeats = new ArrayList<>();
        long maxEventTime = Long.MIN_VALUE;
        for (String line : lines) {
            JsonNode node = parse(line);
            if (node.has("_type") && node.get("_type").textValue().equals("Heartbeat")) {
                heartbeats.add(node);
            } else if (node.hasNonNull("eventTime")) {
                maxEventTime =
                        Math.max(
                                maxEventTime,
                                AvroJson.parseInstant(node.get("eventTime").textValue()));
            }
        }

        assertThat(heartbeats)
                .extracting(h -> h.get("_partition").intValue())
                .containsExactly(0, 1, 2);
        assertThat(lines.subList(lines.size() - 3, lines.size()))
                .allMatch(l -> l.contains("Heartbeat"));
        long heartbeatTime = AvroJson.parseInstant(heartbeats.get(0).get("eventTime").textValue());
        assertThat(heartbeatTime).isGreaterThan(maxEventTime + 30 * 60_000 + BOUND_MS);
    }

    /**
     * At the size the determinism ITCases use, every requested click is there once: without
     * duplicates or bad records, the lines are exactly the requested number of distinct event ids,
     * each of a known user. (How fast it runs is the benchmarks' business, not a unit test's.)
     */
    @Test
    void generatesEveryRequestedClickOnceAtScale() {
        List<String> lines =
                ClickGenerator.generate(
                        spec().events(100_000).fractionDuplicates(0).badPerReason(0).build());

        Set<String> eventIds = new HashSet<>();
        Set<String> users = new HashSet<>();
        for (String line : lines) {
            JsonNode node = parse(line);
            if (node.has("eventId")) {
                assertThat(eventIds.add(node.get("eventId").textValue()))
                        .as("event id %s generated once", node.get("eventId"))
                        .isTrue();
                users.add(node.get("userId").textValue());
            }
        }
        assertThat(eventIds).hasSize(100_000);
        assertThat(users).hasSizeLessThanOrEqualTo(40).hasSizeGreaterThan(30);
    }

    @Test
    void rejectsInvalidSpecsNamingTheSetting() {
        assertThatThrownBy(() -> spec().fractionLate(1.5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fractionLate");
        assertThatThrownBy(() -> spec().partitions(0).build()).hasMessageContaining("partitions");
    }

    /** Classifies a generated line by content only, the way the DLQ rules would. */
    static ReasonCode classify(JsonNode line) {
        if (line.has("_raw") || line.has("_rawBase64")) {
            return ReasonCode.DESERIALIZATION_FAILED;
        }
        if (line.has("_type")) {
            String type = line.get("_type").textValue();
            return type.equals("Click") || type.equals("Heartbeat")
                    ? null
                    : ReasonCode.SCHEMA_MISMATCH;
        }
        if (line.has("_key") && line.get("_key").isNull()) {
            return ReasonCode.MISSING_KEY;
        }
        if (line.get("eventTime").isNull()) {
            return ReasonCode.MISSING_EVENT_TIME;
        }
        long eventTime = AvroJson.parseInstant(line.get("eventTime").textValue());
        if (line.has("_timestamp")
                && eventTime - AvroJson.parseInstant(line.get("_timestamp").textValue())
                        > 3_600_000) {
            return ReasonCode.EVENT_TIME_SKEW;
        }
        if (line.get("eventId").textValue().isEmpty()) {
            return ReasonCode.INVALID_FIELD;
        }
        return null;
    }

    private static JsonNode parse(String line) {
        try {
            return AvroJson.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }
}
