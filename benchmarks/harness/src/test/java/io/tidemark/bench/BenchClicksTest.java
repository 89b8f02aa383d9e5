package io.tidemark.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchClicksTest {

    private static List<BenchClicks.Generated> generate(long events, long seed) {
        List<BenchClicks.Generated> out = new ArrayList<>();
        new BenchClicks(events, 10_000, 1_000, seed).forEach(out::add);
        return out;
    }

    @Test
    void sameSeedGivesTheSameClicksAndTheSmallInputIsAPrefix() {
        List<BenchClicks.Generated> full = generate(20_000, 42);
        assertThat(generate(20_000, 42)).isEqualTo(full);
        assertThat(generate(5_000, 42)).isEqualTo(full.subList(0, 5_000));
        assertThat(generate(5_000, 43)).isNotEqualTo(full.subList(0, 5_000));
    }

    @Test
    void streamHasTheAdvertisedRateDisorderAndLateness() {
        List<BenchClicks.Generated> clicks = generate(200_000, 42);
        long span = clicks.get(clicks.size() - 1).timestamp() - clicks.get(0).timestamp();
        double perSecond = clicks.size() / (span / 1000.0);
        assertThat(perSecond).isBetween(8_000.0, 12_000.0);

        long disordered = 0;
        long late = 0;
        long previous = Long.MIN_VALUE;
        for (BenchClicks.Generated g : clicks) {
            assertThat(g.timestamp())
                    .isGreaterThanOrEqualTo(previous); // stream time never goes back
            previous = g.timestamp();
            long behind = g.timestamp() - g.click().getEventTime().toEpochMilli();
            if (behind >= 5_000) {
                late++;
            } else if (behind > 0) {
                disordered++;
            }
            assertThat(behind).isBetween(0L, 60_000L);
        }
        assertThat(late / (double) clicks.size()).isBetween(0.008, 0.012);
        assertThat(disordered / (double) clicks.size()).isBetween(0.045, 0.055);
    }

    @Test
    void usersClickInBurstsSeparatedByPausesLongerThanTheSessionGap() {
        Map<String, Long> last = new HashMap<>();
        long pauses = 0;
        long withinBurst = 0;
        for (BenchClicks.Generated g : generate(100_000, 7)) {
            Long before = last.put(g.click().getUserId(), g.timestamp());
            if (before != null) {
                long gap = g.timestamp() - before;
                assertThat(gap <= 450 || gap >= 4_500).as("gap %d ms", gap).isTrue();
                if (gap > BenchClicks.SESSION_GAP_MS) {
                    pauses++;
                } else {
                    withinBurst++;
                }
            }
        }
        assertThat(pauses).isPositive();
        assertThat(withinBurst).isGreaterThan(pauses * 5);
    }
}
