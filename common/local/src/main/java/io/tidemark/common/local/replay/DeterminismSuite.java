package io.tidemark.common.local.replay;

import io.tidemark.common.local.EmbeddedKafka;
import io.tidemark.common.local.chaos.FailureInjection;
import io.tidemark.common.local.chaos.FailureInjector;
import io.tidemark.common.runtime.config.ExecutionMode;
import io.tidemark.common.runtime.job.TidemarkJob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Runs one input through a job under each perturbation of DESIGN.md §1 and compares every run's
 * committed output, late and DLQ records with a plain bounded run: other parallelisms, BATCH, the
 * input arriving while the job runs in another order, a savepoint taken mid-stream and restored at
 * another parallelism, and failures injected after checkpoints.
 */
public final class DeterminismSuite {

    /** One way of running the job. */
    public record Variant(String name, Runner runner) {}

    /** Runs a variant on a fresh broker. */
    @FunctionalInterface
    public interface Runner {
        ReplayResult run(TidemarkJob job, Map<String, List<String>> input, EmbeddedKafka kafka)
                throws Exception;
    }

    /** A variant's outcome: equal to the baseline, or the first differences. */
    public record Outcome(String variant, long millis, List<String> differences) {
        public boolean same() {
            return differences.isEmpty();
        }
    }

    /** Which checkpoints the injected failures follow; fixed, so a rerun fails the same way. */
    static final long FAILURE_SEED = 1L;

    private DeterminismSuite() {}

    /** The standard perturbations for {@code partitions}-partition inputs. */
    public static List<Variant> standard(int partitions, int failures, Map<String, String> set) {
        ReplayOptions base = new ReplayOptions(partitions, 2, ExecutionMode.STREAMING, set);
        Map<String, String> chaos = new HashMap<>(set);
        chaos.put("checkpoint.interval", "200 ms");
        chaos.put("flink.restart-strategy.type", "fixed-delay");
        chaos.put("flink.restart-strategy.fixed-delay.attempts", Integer.toString(failures + 10));
        chaos.put("flink.restart-strategy.fixed-delay.delay", "0 s");
        ReplayOptions withFailures =
                new ReplayOptions(partitions, 2, ExecutionMode.STREAMING, chaos)
                        .withTap(new FailureInjection(failures, FAILURE_SEED));
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("baseline: bounded STREAMING, p=2", replay(base)));
        variants.add(new Variant("parallelism 1", replay(base.withParallelism(1))));
        variants.add(new Variant("parallelism 4", replay(base.withParallelism(4))));
        variants.add(new Variant("BATCH", replay(base.withMode(ExecutionMode.BATCH))));
        variants.add(
                new Variant(
                        "live, input arriving in reverse order",
                        (job, input, kafka) ->
                                LiveReplay.run(job, input, base, ArrivalOrder.REVERSED, kafka)));
        variants.add(
                new Variant(
                        "savepoint mid-stream, restored at p=4",
                        (job, input, kafka) ->
                                LiveReplay.runWithSavepointUpgrade(job, input, base, 4, kafka)));
        if (failures > 0) {
            variants.add(
                    new Variant(
                            failures + " failures injected after checkpoints",
                            (job, input, kafka) -> {
                                int before = FailureInjector.INJECTED.get();
                                // Live: checkpoints keep completing while the job runs, so
                                // failures happen whatever the size of the input.
                                ReplayResult result =
                                        LiveReplay.run(
                                                job,
                                                input,
                                                withFailures,
                                                ArrivalOrder.TOPICS_IN_ORDER,
                                                kafka);
                                int injected = FailureInjector.INJECTED.get() - before;
                                if (injected < failures) {
                                    throw new IllegalStateException(
                                            "only "
                                                    + injected
                                                    + " of "
                                                    + failures
                                                    + " failures were injected");
                                }
                                return result;
                            }));
        }
        return variants;
    }

    private static Runner replay(ReplayOptions options) {
        return (job, input, kafka) -> Replay.run(job, input, options, kafka);
    }

    /**
     * Runs every variant (the first is the baseline) and reports how each compares.
     *
     * @param progress called with each outcome as it completes
     */
    public static List<Outcome> run(
            TidemarkJob job,
            Map<String, List<String>> input,
            List<Variant> variants,
            Consumer<Outcome> progress)
            throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        ReplayResult baseline = null;
        for (Variant variant : variants) {
            long started = System.nanoTime();
            ReplayResult result;
            try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
                result = variant.runner().run(job, input, kafka);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            List<String> differences =
                    baseline == null ? List.of() : differences(baseline, result, 5);
            if (baseline == null) {
                baseline = result;
            }
            Outcome outcome = new Outcome(variant.name(), millis, differences);
            outcomes.add(outcome);
            progress.accept(outcome);
        }
        return outcomes;
    }

    /** The first differences between two runs, per output, late and DLQ. */
    public static List<String> differences(ReplayResult expected, ReplayResult actual, int max) {
        List<String> out = new ArrayList<>();
        for (String role : expected.outputs().keySet()) {
            compare(role, expected.outputs().get(role), actual.outputs().get(role), max, out);
        }
        compare("late", expected.late(), actual.late(), max, out);
        compare("dlq", expected.dlq(), actual.dlq(), max, out);
        return out;
    }

    private static void compare(
            String what, List<String> expected, List<String> actual, int max, List<String> out) {
        if (actual == null) {
            out.add(what + ": missing");
            return;
        }
        if (expected.equals(actual)) {
            return;
        }
        TreeSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        TreeSet<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        out.add(
                what
                        + ": "
                        + expected.size()
                        + " expected, "
                        + actual.size()
                        + " committed, "
                        + missing.size()
                        + " missing, "
                        + extra.size()
                        + " unexpected");
        missing.stream().limit(max).forEach(line -> out.add("  - " + shorten(line)));
        extra.stream().limit(max).forEach(line -> out.add("  + " + shorten(line)));
    }

    private static String shorten(String line) {
        return line.length() <= 240 ? line : line.substring(0, 237) + "...";
    }
}
