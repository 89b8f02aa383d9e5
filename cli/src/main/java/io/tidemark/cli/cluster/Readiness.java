package io.tidemark.cli.cluster;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** The pause between two readiness probes of a starting process (each probe has a deadline). */
final class Readiness {

    private static final Duration PROBE_INTERVAL = Duration.ofMillis(200);

    private Readiness() {}

    static void pause() {
        LockSupport.parkNanos(PROBE_INTERVAL.toNanos());
    }
}
