package io.tidemark.cli;

import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.jobs.enrichment.EnrichmentJob;
import io.tidemark.jobs.revenue.RevenueJob;
import io.tidemark.jobs.sessionization.SessionizationJob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The jobs the CLI can run, by name, in demo order. */
final class JobRegistry {

    private static final Map<String, TidemarkJob> JOBS = new LinkedHashMap<>();

    static {
        register(new SessionizationJob());
        register(new EnrichmentJob());
        register(new RevenueJob());
    }

    private JobRegistry() {}

    private static void register(TidemarkJob job) {
        JOBS.put(job.name(), job);
    }

    static List<String> names() {
        return List.copyOf(JOBS.keySet());
    }

    static List<TidemarkJob> all() {
        return List.copyOf(JOBS.values());
    }

    /** The job of that name; throws naming the known jobs otherwise. */
    static TidemarkJob byName(String name) {
        TidemarkJob job = JOBS.get(name);
        if (job == null) {
            throw new IllegalArgumentException(
                    "unknown job '" + name + "'; known jobs: " + String.join(", ", names()));
        }
        return job;
    }

    /** For picocli completion and help. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return names().iterator();
        }
    }
}
