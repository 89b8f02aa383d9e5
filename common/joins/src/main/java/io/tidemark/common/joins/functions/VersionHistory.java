package io.tidemark.common.joins.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;

/**
 * The versions of one dimension key, in keyed {@link MapState} by {@code ts_ms}, with the two
 * operations the temporal join needs: the version valid at a time, and pruning what no future fact
 * can need.
 */
final class VersionHistory<D> {

    private final MapState<Long, DimensionVersion<D>> versions;

    VersionHistory(MapState<Long, DimensionVersion<D>> versions) {
        this.versions = versions;
    }

    /** Adds a version; at an equal {@code ts_ms} the later change event wins. */
    void add(DimensionVersion<D> version) throws Exception {
        DimensionVersion<D> existing = versions.get(version.tsMs);
        if (existing == null || version.supersedes(existing)) {
            versions.put(version.tsMs, version);
        }
    }

    /** The version with the greatest {@code ts_ms ≤ t}, or null; may be a delete. */
    DimensionVersion<D> validAt(long t) throws Exception {
        DimensionVersion<D> best = null;
        for (Map.Entry<Long, DimensionVersion<D>> entry : versions.entries()) {
            long ts = entry.getKey();
            if (ts <= t && (best == null || ts > best.tsMs)) {
                best = entry.getValue();
            }
        }
        return best;
    }

    /**
     * Keeps only what a fact at a time after {@code t} can need: versions after {@code t} and the
     * newest one at or before it (unless that one is a delete, which means "not found" anyway).
     */
    void pruneUpTo(long t) throws Exception {
        DimensionVersion<D> newest = validAt(t);
        if (newest == null) {
            return;
        }
        List<Long> obsolete = new ArrayList<>();
        for (Long ts : versions.keys()) {
            if (ts < newest.tsMs || (ts == newest.tsMs && newest.deleted)) {
                obsolete.add(ts);
            }
        }
        for (Long ts : obsolete) {
            versions.remove(ts);
        }
    }

    boolean isEmpty() throws Exception {
        return versions.isEmpty();
    }
}
