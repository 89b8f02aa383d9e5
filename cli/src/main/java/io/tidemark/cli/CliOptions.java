package io.tidemark.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of option values that picocli's type conversion cannot express. */
final class CliOptions {

    private CliOptions() {}

    static void atLeast(CommandSpec spec, String option, long value, long min) {
        if (value < min) {
            throw new ParameterException(
                    spec.commandLine(), option + " must be at least " + min + ", got " + value);
        }
    }

    static void fraction(CommandSpec spec, String option, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new ParameterException(
                    spec.commandLine(), option + " must be between 0 and 1, got " + value);
        }
    }

    static ParameterException invalid(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
