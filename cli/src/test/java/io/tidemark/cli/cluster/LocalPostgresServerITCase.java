package io.tidemark.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.cli.Tidemark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The PostgreSQL process {@code cluster up --postgres} starts, on its own (the broker and Flink
 * would add a minute and nothing to what is checked here): a real server in a JVM from the CLI's
 * classpath, accepting connections when {@code awaitReady} returns, reported by {@code cluster
 * status} through its pid file, stopped with the server it ran by {@code cluster down}, its data
 * kept for the next start.
 */
class LocalPostgresServerITCase {

    private static final Duration STARTUP = Duration.ofMinutes(2);

    private final WorkDir workDir =
            new WorkDir(Path.of("target", "local-postgres-it").toAbsolutePath());

    @AfterEach
    void stopEvenWhenATestFailed() {
        new ManagedProcess(LocalPostgresServer.PROCESS, workDir).stop();
    }

    @Test
    void startsIsReportedByStatusAndStopsWithItsServerKeepingItsData() throws Exception {
        org.apache.flink.util.FileUtils.deleteDirectory(workDir.root().toFile());
        workDir.create();
        int port = freePort();
        LocalPostgresServer server = new LocalPostgresServer(TidemarkHome.locate(), workDir, port);
        assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + port + "/postgres");

        server.start();
        server.awaitReady(STARTUP);

        execute(server, "CREATE TABLE kept (id int)");
        Optional<Long> pid = LocalCluster.at(workDir).status().get("postgres");
        assertThat(pid).isPresent();
        assertThat(cli("cluster", "status"))
                .containsPattern("postgres +running \\(pid " + pid.get() + "\\)");

        assertThat(cli("cluster", "down")).contains("Stopped postgres.");
        assertThat(ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive)).isEmpty();
        assertThatThrownBy(() -> new Socket("localhost", port).close())
                .as("the server stopped with its process")
                .isInstanceOf(ConnectException.class);
        assertThat(cli("cluster", "status")).doesNotContain("postgres");

        // The next start finds the same database.
        server.start();
        server.awaitReady(STARTUP);
        execute(server, "SELECT count(*) FROM kept");
        assertThat(new ManagedProcess(LocalPostgresServer.PROCESS, workDir).stop()).isTrue();
    }

    private static void execute(LocalPostgresServer server, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
                Statement s = c.createStatement()) {
            if (s.execute(sql)) {
                try (ResultSet r = s.getResultSet()) {
                    assertThat(r.next()).isTrue();
                }
            }
        }
    }

    private String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Tidemark.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--work-dir";
        all[args.length + 1] = workDir.root().toString();
        int exit = commandLine.execute(all);
        // status exits 1 here: the broker and Flink are not running.
        assertThat(exit).as("tidemark %s%n%s%s", String.join(" ", all), out, err).isBetween(0, 1);
        return out.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
