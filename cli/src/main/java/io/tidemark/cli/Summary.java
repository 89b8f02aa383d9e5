package io.tidemark.cli;

import io.tidemark.common.local.replay.ReplayResult;
import java.util.stream.Collectors;

/** One line that says what a replay committed. */
final class Summary {

    private Summary() {}

    static String of(ReplayResult result) {
        String in =
                result.inputs().entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", "));
        String outputs =
                result.outputs().entrySet().stream()
                        .map(e -> e.getValue().size() + " " + e.getKey())
                        .collect(Collectors.joining(", "));
        String dlq =
                result.dlqReasons().isEmpty()
                        ? "0 dlq"
                        : result.dlq().size()
                                + " dlq ("
                                + result.dlqReasons().entrySet().stream()
                                        .map(e -> e.getKey() + " " + e.getValue())
                                        .collect(Collectors.joining(", "))
                                + ")";
        return "in: " + in + " → out: " + outputs + ", " + result.late().size() + " late, " + dlq;
    }
}
