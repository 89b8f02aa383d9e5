package io.tidemark.common.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TidemarkMetricsTest {

    private static final long T = 1_793_527_200_000L; // 2026-11-01T10:00:00Z

    @Test
    void lagIsMaximumMinusWatermark() {
        assertThat(TidemarkMetrics.watermarkLag(T, T - 2_002)).isEqualTo(2_002L);
    }

    @Test
    void lagIsZeroBeforeAnyRecordAndOnceTheWatermarkPassedEveryRecord() {
        assertThat(TidemarkMetrics.watermarkLag(Long.MIN_VALUE, Long.MIN_VALUE)).isZero();
        assertThat(TidemarkMetrics.watermarkLag(Long.MIN_VALUE, T)).isZero();
        assertThat(TidemarkMetrics.watermarkLag(T, T)).isZero();
        assertThat(TidemarkMetrics.watermarkLag(T, Long.MAX_VALUE)).isZero(); // end of input
    }

    @Test
    void lagSaturatesWhileNoWatermarkHasArrived() {
        assertThat(TidemarkMetrics.watermarkLag(T, Long.MIN_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(TidemarkMetrics.watermarkLag(Long.MAX_VALUE - 1, Long.MIN_VALUE + 1))
                .isEqualTo(Long.MAX_VALUE);
    }
}
