package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tidemark report --replay DIR}: the summary of a finished replay, per partition. */
class ReportCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return CliRun.execute(out, err, args);
    }

    @Test
    void replayReportCountsLateRecordsPerSourcePartition(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("metrics.json"),
                "{\"input\":{\"clicks\":11},\"output\":{\"output\":2},\"late\":3,"
                        + "\"dlq\":{\"MISSING_KEY\":1},\"dlqTotal\":1}");
        Files.writeString(
                dir.resolve("late.jsonl"),
                envelope("clicks", 0)
                        + "\n"
                        + envelope("clicks", 1)
                        + "\n"
                        + envelope("clicks", 0));

        assertThat(run("report", "sessionization", "--replay", dir.toString())).isZero();

        assertThat(out.toString())
                .contains("sessionization: replay output")
                .containsPattern("records in +11")
                .containsPattern("late +3")
                .containsPattern("dlq +1")
                .containsPattern("MISSING_KEY +1")
                .containsPattern("clicks/0 +- +2")
                .containsPattern("clicks/1 +- +1");
    }

    @Test
    void aDirectoryThatIsNoReplayOutputIsNamed(@TempDir Path dir) {
        assertThat(run("report", "sessionization", "--replay", dir.toString())).isNotZero();

        assertThat(err.toString()).contains(dir.toString()).contains("holds no metrics.json");
    }

    private static String envelope(String topic, int partition) {
        return "{\"topic\":\""
                + topic
                + "\",\"partition\":"
                + partition
                + ",\"reasonCode\":\"LATE\"}";
    }
}
