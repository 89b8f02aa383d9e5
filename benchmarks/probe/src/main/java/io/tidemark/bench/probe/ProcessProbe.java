package io.tidemark.bench.probe;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Wall time and CPU time of this JVM over a measured phase, and its peak resident set size. A
 * variant starts the probe when its input is ready and stops it when its last result is committed,
 * so JVM start-up and loading are not measured; CPU time is the whole process's (every thread: task
 * threads, Kafka clients, RocksDB, GC, the JIT).
 */
public final class ProcessProbe {

    private final long wallStartNs;
    private final long cpuStartNs;

    private ProcessProbe() {
        this.wallStartNs = System.nanoTime();
        this.cpuStartNs = cpuNanos();
    }

    public static ProcessProbe start() {
        return new ProcessProbe();
    }

    /** Wall and CPU time since {@link #start()}, and the peak RSS so far. */
    public Measurement stop() {
        long cpu = cpuNanos() - cpuStartNs;
        long wall = System.nanoTime() - wallStartNs;
        return new Measurement(wall / 1_000_000, cpu / 1_000_000, peakRssKb());
    }

    /** CPU time of this process, all threads, in nanoseconds. */
    public static long cpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean bean) {
            return bean.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report process CPU time");
    }

    /** Peak resident set size ({@code VmHWM} of /proc/self/status) in KiB, or -1 if unknown. */
    public static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** One measured phase. */
    public record Measurement(long wallMs, long cpuMs, long peakRssKb) {}
}
