package io.tidemark.common.local;

import java.time.Instant;

/**
 * What every seeded generator takes: the seed, the catalog size, the partitions the lines are
 * spread over, the first event time, and whether heartbeats close every partition (and how far past
 * the last event). Immutable; each generator's {@code Spec} adds its own settings.
 */
public abstract class GeneratorSpec {

    private final long seed;
    private final int products;
    private final int partitions;
    private final Instant start;
    private final boolean heartbeats;
    private final long heartbeatGapMs;

    protected GeneratorSpec(Builder<?> b) {
        this.seed = b.seed;
        this.products = b.products;
        this.partitions = b.partitions;
        this.start = b.start;
        this.heartbeats = b.heartbeats;
        this.heartbeatGapMs = b.heartbeatGapMs;
    }

    public long seed() {
        return seed;
    }

    /** Products in the catalog. */
    public int products() {
        return products;
    }

    public int partitions() {
        return partitions;
    }

    public Instant start() {
        return start;
    }

    public boolean heartbeats() {
        return heartbeats;
    }

    /** How far past the largest valid event time the closing heartbeats are. */
    public long heartbeatGapMs() {
        return heartbeatGapMs;
    }

    /** The common settings, for a subclass's {@code toString}. */
    protected String commonFields() {
        return "seed="
                + seed
                + ", products="
                + products
                + ", partitions="
                + partitions
                + ", start="
                + start
                + ", heartbeats="
                + heartbeats
                + ", heartbeatGapMs="
                + heartbeatGapMs;
    }

    /** The builder of the common settings; {@code B} is the concrete builder, for chaining. */
    public abstract static class Builder<B extends Builder<B>> {
        private long seed = 1;
        private int products;
        private int partitions = 2;
        private Instant start = ClickGenerator.DEFAULT_START;
        private boolean heartbeats = true;
        private long heartbeatGapMs;

        protected Builder(int products, long heartbeatGapMs) {
            this.products = products;
            this.heartbeatGapMs = heartbeatGapMs;
        }

        protected abstract B self();

        public B seed(long seed) {
            this.seed = seed;
            return self();
        }

        public B products(int products) {
            this.products = products;
            return self();
        }

        public B partitions(int partitions) {
            this.partitions = partitions;
            return self();
        }

        public B start(Instant start) {
            this.start = start;
            return self();
        }

        public B heartbeats(boolean heartbeats) {
            this.heartbeats = heartbeats;
            return self();
        }

        public B heartbeatGapMs(long gapMs) {
            this.heartbeatGapMs = gapMs;
            return self();
        }

        /**
         * @throws IllegalArgumentException naming the first invalid common setting
         */
        protected void validateCommon() {
            Validation.atLeast("products", products, 1);
            Validation.atLeast("partitions", partitions, 1);
            Validation.atLeast("heartbeatGapMs", heartbeatGapMs, 1);
            if (start == null) {
                throw new IllegalArgumentException("start must be set");
            }
        }
    }
}
