package io.tidemark.common.testing.scenario;

import io.tidemark.common.local.replay.ReplayResult;
import io.tidemark.common.runtime.config.ExecutionMode;
import java.nio.file.Path;
import java.util.List;

/**
 * What the job committed for one sample scenario in one mode, and the comparisons with the
 * hand-worked expectations in the scenario folder. Outputs compare line by line with their expected
 * file (canonical JSON in the job's sort order); late and DLQ envelopes compare reduced to {@link
 * DlqEntry#canonical() position and reason} and sorted by position, since the message and the
 * base64 bytes are not hand-written.
 */
public record ScenarioRun(
        String scenario,
        ExecutionMode mode,
        Path dir,
        EnvelopeReader envelopes,
        ReplayResult result) {

    /** Output {@code role} (shown as {@code name}) vs {@code expectedFile}. */
    public Comparison output(String role, String name, String expectedFile) {
        return new Comparison(
                String.format("%s (%s): %s vs %s", scenario, mode, name, expectedFile),
                result.outputs().get(role),
                SampleScenarios.lines(dir.resolve(expectedFile)));
    }

    /** The late envelopes (topic {@code topicName}) vs {@code expected-late.jsonl}. */
    public Comparison late(String topicName) {
        return errors(topicName, result.late(), "expected-late.jsonl");
    }

    /** The DLQ envelopes (topic {@code topicName}) vs {@code expected-dlq.jsonl}. */
    public Comparison dlq(String topicName) {
        return errors(topicName, result.dlq(), "expected-dlq.jsonl");
    }

    private Comparison errors(String topicName, List<String> envelopeLines, String expectedFile) {
        return new Comparison(
                String.format(
                        "%s (%s): %s vs %s; envelopes:%n%s",
                        scenario, mode, topicName, expectedFile, String.join("\n", envelopeLines)),
                envelopes.canonicalSorted(envelopeLines),
                envelopes.canonicalSorted(SampleScenarios.lines(dir.resolve(expectedFile))));
    }
}
