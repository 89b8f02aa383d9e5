package io.tidemark.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the local cluster starts and stops: its output goes to {@code logs/<name>.log}, its pid to
 * {@code pids/<name>.pid}. Every process carries {@code -Dtidemark.process=<work dir>#<name>} on
 * its command line, so {@code down} stops exactly the processes it started, never another process
 * that was given a recycled pid.
 */
public final class ManagedProcess {

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final String name;
    private final WorkDir workDir;

    public ManagedProcess(String name, WorkDir workDir) {
        this.name = name;
        this.workDir = workDir;
    }

    public String name() {
        return name;
    }

    private String marker() {
        return "-Dtidemark.process=" + workDir.root() + "#" + name;
    }

    /**
     * Starts {@code java <jvmArgs> -cp <classpath> <mainClass> <args>} and records its pid.
     *
     * @throws IllegalStateException when this process is already running
     */
    public ProcessHandle start(
            List<String> jvmArgs, String classpath, String mainClass, List<String> args) {
        running()
                .ifPresent(
                        p -> {
                            throw new IllegalStateException(
                                    name + " is already running (pid " + p.pid() + ")");
                        });
        List<String> jvm = new ArrayList<>();
        jvm.add(marker());
        jvm.addAll(jvmArgs);
        Path log = workDir.log(name);
        try {
            Process process =
                    new ProcessBuilder(command(jvm, classpath, mainClass, args))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                            .start();
            Files.writeString(
                    workDir.pid(name), Long.toString(process.pid()), StandardCharsets.UTF_8);
            return process.toHandle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs a short-lived JVM to completion (e.g. Kafka's storage format); its output is logged. */
    public void runToCompletion(
            List<String> jvmArgs,
            String classpath,
            String mainClass,
            List<String> args,
            Duration timeout) {
        Path log = workDir.log(name);
        try {
            Process process =
                    new ProcessBuilder(command(jvmArgs, classpath, mainClass, args))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                            .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        mainClass + " did not finish within " + timeout + "; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        mainClass + " failed (exit " + process.exitValue() + "): " + tail(log, 10));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + mainClass + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + mainClass, e);
        }
    }

    /** The process, when its pid file names a live process that carries this process's marker. */
    public Optional<ProcessHandle> running() {
        Path pidFile = workDir.pid(name);
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isOurs);
    }

    private boolean isOurs(ProcessHandle process) {
        return process.info()
                        .arguments()
                        .map(args -> List.of(args).contains(marker()))
                        .orElse(false)
                || process.info().commandLine().map(c -> c.contains(marker())).orElse(false);
    }

    /**
     * Stops the process: SIGTERM (Flink and Kafka shut down cleanly on it), then SIGKILL after a
     * grace period. Removes the pid file.
     *
     * @return whether a running process was stopped
     */
    public boolean stop() {
        Optional<ProcessHandle> process = running();
        process.ifPresent(
                p -> {
                    p.destroy();
                    try {
                        p.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                        p.onExit().join();
                    }
                });
        try {
            Files.deleteIfExists(workDir.pid(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return process.isPresent();
    }

    /** The last lines of this process's log, for error messages. */
    public String logTail(int lines) {
        return tail(workDir.log(name), lines);
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(
                    System.lineSeparator(),
                    all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** {@code java <jvmArgs> -cp <classpath> <mainClass> <args>} with this JVM's java. */
    private static List<String> command(
            List<String> jvmArgs, String classpath, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static java.io.File nullDevice() {
        return new java.io.File(
                System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
