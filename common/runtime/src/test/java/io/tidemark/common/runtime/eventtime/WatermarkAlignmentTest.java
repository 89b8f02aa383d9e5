package io.tidemark.common.runtime.eventtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.common.runtime.config.ConfigLoader;
import io.tidemark.common.runtime.config.InvalidConfigException;
import io.tidemark.common.runtime.config.TidemarkConfig;
import io.tidemark.common.runtime.config.TidemarkOptions;
import io.tidemark.common.runtime.record.InputRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkAlignmentParams;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.junit.jupiter.api.Test;

class WatermarkAlignmentTest {

    private static TidemarkConfig config(Map<String, String> overrides) {
        Map<String, String> raw = new HashMap<>();
        raw.put("kafka.bootstrap.servers", "localhost:9092");
        raw.putAll(overrides);
        return TidemarkConfig.from(
                ConfigLoader.validate(raw, TidemarkOptions.all(), Map.of()), "enrichment");
    }

    @Test
    void onByDefaultInUnboundedStreamingRuns() {
        WatermarkAlignment alignment = config(Map.of()).alignment();

        assertThat(alignment)
                .isEqualTo(
                        new WatermarkAlignment(
                                "enrichment", Duration.ofHours(1), Duration.ofMillis(200)));
    }

    @Test
    void takesGroupDriftAndInterval() {
        WatermarkAlignment alignment =
                config(
                                Map.of(
                                        "event-time.alignment.group", "shop",
                                        "event-time.alignment.max-drift", "5 min",
                                        "event-time.alignment.update-interval", "1 s"))
                        .alignment();

        assertThat(alignment)
                .isEqualTo(
                        new WatermarkAlignment(
                                "shop", Duration.ofMinutes(5), Duration.ofSeconds(1)));
    }

    @Test
    void offWhenSwitchedOffInBoundedRunsAndInBatch() {
        for (Map<String, String> off :
                List.of(
                        Map.of("event-time.alignment.enabled", "false"),
                        Map.of("source.stop", "latest"),
                        Map.of("execution.mode", "BATCH", "source.stop", "latest"))) {
            assertThat(config(off).alignment()).as(off.toString()).isNull();
        }
    }

    @Test
    void rejectsNegativeDriftAndZeroInterval() {
        assertThatThrownBy(() -> config(Map.of("event-time.alignment.max-drift", "-1 s")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("event-time.alignment.max-drift");
        assertThatThrownBy(() -> config(Map.of("event-time.alignment.update-interval", "0 ms")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("event-time.alignment.update-interval");
    }

    @Test
    void strategyCarriesTheAlignment() {
        WatermarkStrategy<InputRecord<Object>> aligned =
                InputWatermarks.forBound(
                        Duration.ofSeconds(2),
                        null,
                        new WatermarkAlignment("g", Duration.ofMinutes(5), Duration.ofSeconds(1)));
        WatermarkAlignmentParams params = aligned.getAlignmentParameters();

        assertThat(params.getWatermarkGroup()).isEqualTo("g");
        assertThat(params.getMaxAllowedWatermarkDrift()).isEqualTo(300_000L);
        assertThat(params.getUpdateInterval()).isEqualTo(1_000L);
        assertThat(
                        InputWatermarks.<Object>forBound(Duration.ofSeconds(2), null)
                                .getAlignmentParameters()
                                .isEnabled())
                .isFalse();
    }
}
