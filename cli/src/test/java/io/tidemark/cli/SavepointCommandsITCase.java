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

    /** The current version's savepoint. */
    private static final String FIXTURE = fixture("0.3.0");

    /** A savepoint of a version with the keyed lateness classifier. */
    private static final String KEYED_CLASSIFIER_FIXTURE = fixture("0.1.0");

    private static String fixture(String version) {
        return Path.of(
                        "../state-migration/src/test/resources/savepoints/sessionization/"
                                + version
                                + "/savepoint")
                .toAbsolutePath()
                .normalize()
                .toString();
    }

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
        assertThat(run("savepoint", "inspect", KEYED_CLASSIFIER_FIXTURE)).isZero();
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

    @Test
    void aSavepointOfTheKeyedClassifierIsRefusedUntilMigratedThenPasses(@TempDir Path tmp) {
        String migrated = tmp.resolve("migrated").toString();
        assertThat(
                        run(
                                "savepoint",
                                "check",
                                "sessionization",
                                "--savepoint",
                                KEYED_CLASSIFIER_FIXTURE))
                .isEqualTo(SavepointCheckCommand.REFUSED);
        assertThat(out.toString())
                .contains("sessionization.classify.clicks")
                .contains("--lateness-state sessionization");

        assertThat(
                        run(
                                "savepoint",
                                "migrate",
                                KEYED_CLASSIFIER_FIXTURE,
                                "--to",
                                migrated,
                                "--lateness-state",
                                "sessionization"))
                .as(err.toString())
                .isZero();
        assertThat(out.toString())
                .contains("moved sessionization.classify.clicks -> sessionization.lateness.clicks");
        assertThat(run("savepoint", "check", "sessionization", "--savepoint", migrated))
                .as(out.toString())
                .isZero();

        // Nothing left to move: a usage error, not a silent copy.
        assertThat(
                        run(
                                "savepoint",
                                "migrate",
                                migrated,
                                "--to",
                                tmp.resolve("again").toString(),
                                "--lateness-state",
                                "sessionization"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("holds no keyed lateness classifier state");
    }
}
