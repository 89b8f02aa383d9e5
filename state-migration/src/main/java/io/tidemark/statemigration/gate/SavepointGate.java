package io.tidemark.statemigration.gate;

import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.statemigration.manifest.CommittedManifests;
import io.tidemark.statemigration.manifest.SavepointStates;
import io.tidemark.statemigration.manifest.StateManifest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The gate as {@code tidemark savepoint check} and the upgrade run it: reads the savepoint, names
 * its operators by the uids of the current job and of every committed manifest of the job (so an
 * operator a later version removed still shows by name), and checks it against the current
 * version's manifest.
 */
public final class SavepointGate {

    private SavepointGate() {}

    public static GateReport check(
            TidemarkJob job, Path savepoint, int maxParallelism, Set<String> allowDropped) {
        StateManifest current = CommittedManifests.current(job.name());
        StateManifest held =
                SavepointStates.manifest(job.name(), "savepoint", savepoint, knownUids(job));
        return CompatibilityGate.check(
                savepoint.toString(),
                held,
                current,
                job.operatorUids(),
                maxParallelism,
                allowDropped);
    }

    /** Operator id → uid for every uid the job has or had in a released version. */
    public static Map<String, String> knownUids(TidemarkJob job) {
        Map<String, String> byId = new LinkedHashMap<>();
        for (StateManifest manifest : CommittedManifests.all(job.name())) {
            manifest.operators().forEach(op -> byId.put(op.operatorId(), op.uid()));
        }
        byId.putAll(SavepointStates.uidsById(job.operatorUids()));
        return byId;
    }
}
