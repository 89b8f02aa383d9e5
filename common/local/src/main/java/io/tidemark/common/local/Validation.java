package io.tidemark.common.local;

/** Argument checks for the generator specs, with messages that name the setting. */
final class Validation {

    private Validation() {}

    static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(
                    name + " must be at least " + min + ", got " + value);
        }
    }

    static void fraction(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(
                    name + " must be a fraction between 0 and 1, got " + value);
        }
    }
}
