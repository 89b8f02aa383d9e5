package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tidemark savepoint check|inspect|migrate} end to end on the committed sessionization
 * savepoint fixture (state-migration's test resources), in-process like a user's shell.
 */
class SavepointCommandsITCase {

    private static final String FIXTURE =
            Path.of(
                            "../state-migration/src/test/resources/savepoints/sessionization/0.1.0/savepoint")
                    .toAbsolutePath()
                    .normalize()
                    .toString();

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine commandLine = Tidemark.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void checkPassesTheCurrentVersionsSavepointAndRefusesAnotherMaxParallelism() {
        assertThat(run("savepoint", "check", "sessionization", "--savepoint", FIXTURE)).isZero();
        assertThat(out.toString()).startsWith("COMPATIBLE: sessionization can resume");

        assertThat(
                        run(
                                "savepoint",
                                "check",
                                "sessionization",
                                "--savepoint",
                                FIXTURE,
                                "--set",
                                "max-parallelism=64"))
                .isEqualTo(SavepointCheckCommand.REFUSED);
        assertThat(out.toString())
                .startsWith("REFUSED")
                .contains("max parallelism 128 in the savepoint, 64 configured");
    }

    @Test
    void checkOfAMissingSavepointIsAUsageErrorNamingIt() {
        assertThat(run("savepoint", "check", "sessionization", "--savepoint", "/no/such/sp"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--savepoint /no/such/sp does not exist");
    }

    @Test
    void inspectListsOperatorsStatesAndOpenSessions() {
        assertThat(run("savepoint", "inspect", FIXTURE)).isZero();
        assertThat(out.toString())
                .contains("sessionization.classify.clicks")
                .contains("max-event-time")
                .contains("sessionization.sessions")
                .contains("merging-window-set")
                .contains("open windows: ");
    }

    @Test
    void migratedUidIsRefusedUntilItsDropIsAllowed(@TempDir Path tmp) {
        String migrated = tmp.resolve("migrated").toString();

        assertThat(
                        run(
                                "savepoint",
                                "migrate",
                                FIXTURE,
                                "--to",
                                migrated,
                                "--rename-uid",
                                "sessionization.dedup=sessionization.dedup-old"))
                .as(err.toString())
                .isZero();
        assertThat(run("savepoint", "check", "sessionization", "--savepoint", migrated))
                .isEqualTo(SavepointCheckCommand.REFUSED);
        assertThat(out.toString()).contains("--allow-dropped sessionization.dedup-old");
        assertThat(
                        run(
                                "savepoint",
                                "check",
                                "sessionization",
                                "--savepoint",
                                migrated,
                                "--allow-dropped",
                                "sessionization.dedup-old"))
                .isZero();
        assertThat(out.toString()).contains("ALLOWED").contains("starts empty");
    }
}
