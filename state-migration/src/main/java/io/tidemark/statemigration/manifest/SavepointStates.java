package io.tidemark.statemigration.manifest;

import io.tidemark.statemigration.manifest.StateManifest.Serializer;
import io.tidemark.statemigration.manifest.StateManifest.State;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.OperatorBackendSerializationProxy;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot.CommonOptionsKeys;
import org.apache.flink.state.api.OperatorIdentifier;

/**
 * Reads what a savepoint (or retained checkpoint) holds without restoring it: its {@code _metadata}
 * and, from the head of every state stream, the state meta information Flink writes there (state
 * names, kinds and serializer snapshots). No state value is deserialized, so this works for any
 * job, also one whose classes are not on the class path.
 */
public final class SavepointStates {

    /** One operator of the savepoint. */
    public record OperatorContents(
            String operatorId,
            String uid,
            int parallelism,
            int maxParallelism,
            long stateSize,
            List<State> states) {}

    private SavepointStates() {}

    /**
     * @param savepoint the savepoint directory or its {@code _metadata} file
     * @param uidsById operator id (hex) → uid, for operators whose uid the metadata does not name
     */
    public static List<OperatorContents> read(Path savepoint, Map<String, String> uidsById) {
        Path metadata = Files.isDirectory(savepoint) ? savepoint.resolve("_metadata") : savepoint;
        if (!Files.isRegularFile(metadata)) {
            throw new IllegalArgumentException(
                    savepoint + " is not a savepoint: it has no _metadata file");
        }
        ClassLoader classLoader = SavepointStates.class.getClassLoader();
        String pointer =
                new org.apache.flink.core.fs.Path(metadata.getParent().toAbsolutePath().toUri())
                        .toString();
        CheckpointMetadata loaded;
        try (DataInputStream in = new DataInputStream(Files.newInputStream(metadata))) {
            loaded = Checkpoints.loadCheckpointMetadata(in, classLoader, pointer);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read savepoint metadata " + metadata + ": " + e.getMessage(), e);
        }
        List<OperatorContents> operators = new ArrayList<>();
        for (OperatorState operator : loaded.getOperatorStates()) {
            String id = operator.getOperatorID().toHexString();
            String uid =
                    operator.getOperatorUid()
                            .filter(u -> !u.isEmpty())
                            .orElse(uidsById.getOrDefault(id, "#" + id));
            operators.add(
                    new OperatorContents(
                            id,
                            uid,
                            operator.getParallelism(),
                            operator.getMaxParallelism(),
                            operator.getStateSize(),
                            statesOf(operator.getStates(), classLoader, id)));
        }
        return operators;
    }

    /** Operator id (hex) → uid, the way Flink derives an operator's id from its uid. */
    public static Map<String, String> uidsById(Collection<String> uids) {
        Map<String, String> byId = new LinkedHashMap<>();
        for (String uid : uids) {
            byId.put(OperatorIdentifier.forUid(uid).getOperatorId().toHexString(), uid);
        }
        return byId;
    }

    /** The manifest of the savepoint's stateful operators. */
    public static StateManifest manifest(
            String job, String version, Path savepoint, Map<String, String> uidsById) {
        List<StateManifest.Operator> stateful = new ArrayList<>();
        TreeSet<Integer> maxParallelism = new TreeSet<>();
        for (OperatorContents operator : read(savepoint, uidsById)) {
            if (operator.states().isEmpty()) {
                continue;
            }
            maxParallelism.add(operator.maxParallelism());
            stateful.add(
                    new StateManifest.Operator(
                            operator.uid(), operator.operatorId(), operator.states()));
        }
        if (maxParallelism.size() > 1) {
            throw new IllegalStateException(
                    savepoint + ": operators have different max parallelism " + maxParallelism);
        }
        return new StateManifest(
                job, version, maxParallelism.isEmpty() ? 0 : maxParallelism.first(), stateful);
    }

    private static List<State> statesOf(
            Collection<OperatorSubtaskState> subtasks, ClassLoader classLoader, String id) {
        Map<String, State> states = new LinkedHashMap<>();
        for (OperatorSubtaskState subtask : subtasks) {
            for (KeyedStateHandle handle : subtask.getManagedKeyedState()) {
                readKeyed(handle, classLoader, id, states);
            }
            for (OperatorStateHandle handle : subtask.getManagedOperatorState()) {
                readOperator(handle, classLoader, id, states);
            }
        }
        return new ArrayList<>(states.values());
    }

    private static void readKeyed(
            KeyedStateHandle handle, ClassLoader classLoader, String id, Map<String, State> out) {
        StreamStateHandle stream;
        if (handle instanceof KeyGroupsStateHandle keyGroups) {
            stream = keyGroups;
        } else if (handle instanceof IncrementalRemoteKeyedStateHandle incremental) {
            stream = incremental.getMetaDataStateHandle();
        } else {
            throw new IllegalArgumentException(
                    "operator "
                            + id
                            + ": keyed state handle "
                            + handle.getClass().getSimpleName()
                            + " is not readable; take a canonical savepoint");
        }
        try (InputStream in = stream.openInputStream()) {
            KeyedBackendSerializationProxy<?> proxy =
                    new KeyedBackendSerializationProxy<>(classLoader);
            proxy.read(new DataInputViewStreamWrapper(in));
            Serializer key = encode(proxy.getKeySerializerSnapshot());
            for (StateMetaInfoSnapshot meta : proxy.getStateMetaInfoSnapshots()) {
                Map<String, Serializer> serializers = encodeAll(meta);
                serializers.put("KEY_SERIALIZER", key);
                put(out, meta, serializers);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "operator " + id + ": cannot read keyed state meta data: " + e.getMessage(), e);
        }
    }

    private static void readOperator(
            OperatorStateHandle handle,
            ClassLoader classLoader,
            String id,
            Map<String, State> out) {
        try (InputStream in = handle.openInputStream()) {
            OperatorBackendSerializationProxy proxy =
                    new OperatorBackendSerializationProxy(classLoader);
            proxy.read(new DataInputViewStreamWrapper(in));
            for (StateMetaInfoSnapshot meta : proxy.getOperatorStateMetaInfoSnapshots()) {
                put(out, meta, encodeAll(meta));
            }
            for (StateMetaInfoSnapshot meta : proxy.getBroadcastStateMetaInfoSnapshots()) {
                put(out, meta, encodeAll(meta));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "operator " + id + ": cannot read operator state meta data: " + e.getMessage(),
                    e);
        }
    }

    private static void put(
            Map<String, State> out, StateMetaInfoSnapshot meta, Map<String, Serializer> serial) {
        String scope = scopeOf(meta.getBackendStateType());
        String kind =
                switch (meta.getBackendStateType()) {
                    case KEY_VALUE, KEY_VALUE_V2 ->
                            meta.getOption(CommonOptionsKeys.KEYED_STATE_TYPE);
                    case OPERATOR, BROADCAST ->
                            meta.getOption(CommonOptionsKeys.OPERATOR_STATE_DISTRIBUTION_MODE);
                    case PRIORITY_QUEUE -> "PRIORITY_QUEUE";
                };
        out.putIfAbsent(
                scope + "/" + meta.getName(), new State(meta.getName(), scope, kind, serial));
    }

    static String scopeOf(StateMetaInfoSnapshot.BackendStateType type) {
        return switch (type) {
            case KEY_VALUE, KEY_VALUE_V2 -> "keyed";
            case PRIORITY_QUEUE -> "timers";
            case OPERATOR -> "operator";
            case BROADCAST -> "broadcast";
        };
    }

    private static Map<String, Serializer> encodeAll(StateMetaInfoSnapshot meta) {
        Map<String, Serializer> serializers = new TreeMap<>();
        meta.getSerializerSnapshotsImmutable()
                .forEach((role, snapshot) -> serializers.put(role, encode(snapshot)));
        return serializers;
    }

    /** Flink's versioned snapshot bytes, base64, beside the snapshot's class. */
    public static Serializer encode(TypeSerializerSnapshot<?> snapshot) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
            return new Serializer(
                    snapshot.getClass().getName(),
                    Base64.getEncoder().encodeToString(out.getCopyOfBuffer()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The snapshot {@link #encode} wrote. */
    public static TypeSerializerSnapshot<?> decode(Serializer serializer, ClassLoader loader)
            throws IOException {
        byte[] bytes = Base64.getDecoder().decode(serializer.snapshot());
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new org.apache.flink.core.memory.DataInputDeserializer(bytes), loader);
    }
}
