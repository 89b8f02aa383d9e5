package io.tidemark.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The benchmark's command line.
 *
 * @param events clicks generated into the input topic
 * @param smallEvents clicks in the smaller topic the settings comparisons read
 * @param users distinct users
 * @param orders orders generated into the revenue runs' {@code orders} topic
 * @param customers distinct customers of the revenue runs
 * @param seed seed of the generator
 * @param runs the runs to do (names from {@link BenchPlan#RUNS}); all when empty
 * @param out where the report goes
 * @param workDir logs and checkpoints of the runs
 * @param timeoutSeconds longest a single run may take
 */
public record BenchOptions(
        long events,
        long smallEvents,
        int users,
        long orders,
        int customers,
        long seed,
        List<String> runs,
        Path out,
        Path workDir,
        long timeoutSeconds) {

    /**
     * Orders of the revenue runs: at 10,000 per event-time second, 20 s of orders (211,200 records
     * with the changelogs), so the three revenue runs take a few minutes on 2 cores (6 min with
     * loading on a busy machine): the revenue job processes about a tenth of the events per
     * CPU-second the sessionization job does.
     */
    static final long DEFAULT_ORDERS = 200_000;

    static BenchOptions parse(String[] args) {
        long events = 5_000_000;
        long smallEvents = 1_000_000;
        int users = 10_000;
        long orders = DEFAULT_ORDERS;
        int customers = 10_000;
        long seed = 42;
        List<String> runs = List.of();
        Path out = Path.of("benchmarks", "results");
        Path workDir = Path.of("benchmarks", "target", "bench");
        long timeout = 1200;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--events" -> events = Long.parseLong(value.replace("_", ""));
                case "--small-events" -> smallEvents = Long.parseLong(value.replace("_", ""));
                case "--users" -> users = Integer.parseInt(value);
                case "--orders" -> orders = Long.parseLong(value.replace("_", ""));
                case "--customers" -> customers = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--runs" -> runs = List.of(value.split(","));
                case "--out" -> out = Path.of(value);
                case "--work-dir" -> workDir = Path.of(value);
                case "--timeout-s" -> timeout = Long.parseLong(value);
                default ->
                        throw new IllegalArgumentException(
                                "unknown option "
                                        + name
                                        + "; accepted: --events, --small-events, --users, --orders,"
                                        + " --customers, --seed, --runs "
                                        + BenchPlan.RUNS
                                        + ", --out, --work-dir, --timeout-s");
            }
        }
        for (String run : runs) {
            if (!BenchPlan.RUNS.contains(run)) {
                throw new IllegalArgumentException(
                        "--runs: unknown run " + run + "; accepted: " + BenchPlan.RUNS);
            }
        }
        return new BenchOptions(
                events, smallEvents, users, orders, customers, seed, runs, out, workDir, timeout);
    }
}
