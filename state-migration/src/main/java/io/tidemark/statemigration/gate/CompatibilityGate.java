package io.tidemark.statemigration.gate;

import io.tidemark.statemigration.gate.Finding.Verdict;
import io.tidemark.statemigration.manifest.SavepointStates;
import io.tidemark.statemigration.manifest.StateManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * Decides whether the current version of a job can resume a savepoint without losing or misreading
 * state, before Flink is asked to (where a wrong answer shows only as a failed restore, or worse, a
 * job that silently starts a dropped operator's state from empty).
 *
 * <p>It compares what the savepoint holds (read with {@link SavepointStates}) with the current
 * version's committed manifest and the uids the current job graph declares, and refuses:
 *
 * <ul>
 *   <li>a different max parallelism (key groups cannot be re-split);
 *   <li>an operator with state the current job no longer has, unless its uid is explicitly allowed
 *       to be dropped;
 *   <li>a state the operator no longer declares, or declares with another kind (value, list, map…);
 *   <li>a serializer Flink itself reports incompatible with the old one.
 * </ul>
 *
 * Compatible changes pass with a note: an operator with new state (it starts empty), a serializer
 * Flink migrates on restore (an Avro schema evolved with defaults, a POJO field added).
 */
public final class CompatibilityGate {

    private CompatibilityGate() {}

    /**
     * @param savepoint what the savepoint holds, uids resolved
     * @param current the current version's manifest
     * @param currentUids every uid of the current job graph
     * @param maxParallelism the max parallelism the job will run with
     * @param allowDropped uids whose state may be dropped
     */
    public static GateReport check(
            String savepointPath,
            StateManifest savepoint,
            StateManifest current,
            Collection<String> currentUids,
            int maxParallelism,
            Set<String> allowDropped) {
        List<Finding> findings = new ArrayList<>();
        if (savepoint.maxParallelism() != maxParallelism) {
            findings.add(
                    new Finding(
                            Verdict.REFUSED,
                            null,
                            null,
                            "max parallelism "
                                    + savepoint.maxParallelism()
                                    + " in the savepoint, "
                                    + maxParallelism
                                    + " configured ('max-parallelism'): keyed state cannot be"
                                    + " re-split into another number of key groups"));
        }
        for (StateManifest.Operator old : savepoint.operators()) {
            if (!currentUids.contains(old.uid())) {
                findings.add(
                        dropped(
                                old.uid(),
                                null,
                                "the job no longer has this operator",
                                allowDropped));
                continue;
            }
            Optional<StateManifest.Operator> now = current.operator(old.uid());
            for (StateManifest.State state : old.states()) {
                Optional<StateManifest.State> match =
                        now.flatMap(op -> op.state(state.scope(), state.name()));
                if (match.isEmpty()) {
                    findings.add(
                            dropped(
                                    old.uid(),
                                    state.name(),
                                    "the operator no longer declares this "
                                            + state.scope()
                                            + " state",
                                    allowDropped));
                } else {
                    compare(old.uid(), state, match.get(), findings);
                }
            }
        }
        for (StateManifest.Operator added : current.operators()) {
            if (savepoint.operator(added.uid()).isEmpty()) {
                findings.add(
                        new Finding(
                                Verdict.NOTE,
                                added.uid(),
                                null,
                                "not in the savepoint: its state starts empty"));
            }
        }
        return new GateReport(current.job(), savepointPath, findings);
    }

    private static Finding dropped(String uid, String state, String why, Set<String> allowDropped) {
        if (allowDropped.contains(uid)) {
            return new Finding(
                    Verdict.ALLOWED,
                    uid,
                    state,
                    why
                            + "; its state is dropped as allowed (restore with"
                            + " execution.state-recovery.ignore-unclaimed-state: true)");
        }
        return new Finding(
                Verdict.REFUSED,
                uid,
                state,
                why + "; its state would be lost (allow with --allow-dropped " + uid + ")");
    }

    private static void compare(
            String uid, StateManifest.State old, StateManifest.State now, List<Finding> out) {
        if (!old.kind().equals(now.kind())) {
            out.add(
                    new Finding(
                            Verdict.REFUSED,
                            uid,
                            old.name(),
                            "was " + old.kind() + ", is now " + now.kind()));
            return;
        }
        for (Map.Entry<String, StateManifest.Serializer> role : old.serializers().entrySet()) {
            StateManifest.Serializer next = now.serializers().get(role.getKey());
            if (next == null) {
                out.add(
                        new Finding(
                                Verdict.REFUSED,
                                uid,
                                old.name(),
                                "the current version has no " + role.getKey()));
                continue;
            }
            if (next.equals(role.getValue())) {
                continue; // byte-identical snapshots: compatible as is
            }
            resolve(uid, old.name(), role.getKey(), role.getValue(), next, out);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void resolve(
            String uid,
            String state,
            String role,
            StateManifest.Serializer old,
            StateManifest.Serializer now,
            List<Finding> out) {
        ClassLoader loader = CompatibilityGate.class.getClassLoader();
        TypeSerializerSchemaCompatibility<?> compatibility;
        try {
            TypeSerializerSnapshot oldSnapshot = SavepointStates.decode(old, loader);
            TypeSerializerSnapshot newSnapshot = SavepointStates.decode(now, loader);
            // Flink's own rule: the new serializer's snapshot judges the old one.
            compatibility = newSnapshot.resolveSchemaCompatibility(oldSnapshot);
        } catch (IOException | RuntimeException e) {
            out.add(
                    new Finding(
                            Verdict.REFUSED,
                            uid,
                            state,
                            role
                                    + ": cannot compare "
                                    + old.snapshotClass()
                                    + " with "
                                    + now.snapshotClass()
                                    + ": "
                                    + e.getMessage()));
            return;
        }
        if (compatibility.isIncompatible()) {
            out.add(
                    new Finding(
                            Verdict.REFUSED,
                            uid,
                            state,
                            role
                                    + " incompatible: "
                                    + describe(old)
                                    + " cannot be read as "
                                    + describe(now)));
        } else if (compatibility.isCompatibleAfterMigration()) {
            out.add(
                    new Finding(
                            Verdict.NOTE,
                            uid,
                            state,
                            role
                                    + " evolved ("
                                    + describe(now)
                                    + "): Flink migrates the state"
                                    + " on restore"));
        } else if (compatibility.isCompatibleWithReconfiguredSerializer()) {
            out.add(
                    new Finding(
                            Verdict.NOTE,
                            uid,
                            state,
                            role + " compatible after reconfiguring " + describe(now)));
        }
    }

    private static String describe(StateManifest.Serializer serializer) {
        String name = serializer.snapshotClass();
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
