package io.tidemark.statemigration.gate;

import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.statemigration.manifest.CommittedManifests;
import io.tidemark.statemigration.manifest.SavepointStates;
import io.tidemark.statemigration.manifest.StateManifest;
import io.tidemark.statemigration.migrate.LatenessStateMigration;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
        GateReport report =
                CompatibilityGate.check(
                        savepoint.toString(),
                        held,
                        current,
                        job.operatorUids(),
                        maxParallelism,
                        allowDropped);
        return withMigrationAdvice(report, job, savepoint);
    }

    /**
     * A refusal the release's own migration resolves names the command that runs it, instead of
     * suggesting {@code --allow-dropped}, which would lose the state.
     */
    private static GateReport withMigrationAdvice(
            GateReport report, TidemarkJob job, Path savepoint) {
        Map<String, String> moved = new LinkedHashMap<>();
        LatenessStateMigration.moves(job).forEach(move -> moved.put(move.fromUid(), move.toUid()));
        List<Finding> findings =
                report.findings().stream()
                        .map(
                                finding ->
                                        finding.verdict() == Finding.Verdict.REFUSED
                                                        && finding.state() == null
                                                        && moved.containsKey(finding.uid())
                                                ? new Finding(
                                                        Finding.Verdict.REFUSED,
                                                        finding.uid(),
                                                        null,
                                                        "0.3.0 chained the lateness classifier to"
                                                                + " the source as "
                                                                + moved.get(finding.uid())
                                                                + " with operator state: migrate"
                                                                + " this savepoint first with"
                                                                + " `tidemark savepoint migrate "
                                                                + savepoint
                                                                + " --to NEW_PATH --lateness-state "
                                                                + job.name()
                                                                + "`")
                                                : finding)
                        .toList();
        return new GateReport(report.job(), report.savepoint(), findings);
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
