package io.tidemark.jobs.revenue.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AmountsTest {

    @Test
    void exactWithinRangeSaturatingBeyond() {
        assertThat(Amounts.plus(2, 3)).isEqualTo(5);
        assertThat(Amounts.plus(Long.MAX_VALUE - 1, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(Amounts.plus(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(Amounts.plus(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Amounts.plus(Long.MIN_VALUE, -1)).isEqualTo(Long.MIN_VALUE);
        assertThat(Amounts.plus(Long.MAX_VALUE, Long.MIN_VALUE)).isEqualTo(-1);

        assertThat(Amounts.times(1_000_000, 1_000_000_000_000L))
                .isEqualTo(1_000_000_000_000_000_000L);
        assertThat(Amounts.times(2, Long.MAX_VALUE / 2 + 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(Amounts.times(-2, Long.MAX_VALUE / 2 + 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(Amounts.times(-1, Long.MIN_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Amounts.times(0, Long.MAX_VALUE)).isZero();
        assertThat(Amounts.times(-3, 4)).isEqualTo(-12);
    }

    @Test
    void saturatedSumOfNonNegativeValuesDoesNotDependOnTheirOrder() {
        List<Long> values = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            values.add(random.nextLong(Long.MAX_VALUE / 20));
        }
        long first = sum(values);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(values, random);
            assertThat(sum(values)).isEqualTo(first);
        }
        assertThat(first).isEqualTo(Amounts.SATURATED);
    }

    private static long sum(List<Long> values) {
        long sum = 0;
        for (long v : values) {
            sum = Amounts.plus(sum, v);
        }
        return sum;
    }
}
