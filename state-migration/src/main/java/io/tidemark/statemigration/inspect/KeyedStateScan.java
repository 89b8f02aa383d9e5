package io.tidemark.statemigration.inspect;

import io.tidemark.statemigration.manifest.SavepointStates;
import io.tidemark.statemigration.manifest.StateManifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Reads every key of an operator's keyed state without knowing the job's classes' types up front:
 * each state is registered with the serializer restored from its snapshot in the savepoint. Emits
 * one row per key: the key, and for a merging window operator the windows it holds open (from
 * {@code merging-window-set}, where session windows keep their merged bounds).
 *
 * <p>Only states in the default namespace are registered: a window's contents are namespaced by the
 * window, so a tumbling window operator shows no keys here (its size shows in the listing).
 */
final class KeyedStateScan extends KeyedStateReaderFunction<String, Tuple2<String, List<String>>> {

    private static final long serialVersionUID = 1L;

    static final String MERGING_WINDOW_SET = "merging-window-set";

    /** A row: the key and its open windows (empty unless the operator merges windows). */
    static final TypeInformation<Tuple2<String, List<String>>> ROW =
            Types.TUPLE(Types.STRING, Types.LIST(Types.STRING));

    private final List<StateManifest.State> states;
    private transient ListState<Object> mergingWindows;

    KeyedStateScan(List<StateManifest.State> states) {
        this.states = List.copyOf(states);
    }

    /** True when the operator has keyed state this scan can register (default namespace). */
    static boolean canScan(List<StateManifest.State> states) {
        return states.stream().anyMatch(KeyedStateScan::inDefaultNamespace);
    }

    private static boolean inDefaultNamespace(StateManifest.State state) {
        StateManifest.Serializer namespace = state.serializers().get("NAMESPACE_SERIALIZER");
        return state.scope().equals("keyed")
                && namespace != null
                && namespace.snapshotClass().contains("VoidNamespaceSerializer")
                && List.of("VALUE", "LIST", "MAP").contains(state.kind());
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void open(OpenContext context) throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        for (StateManifest.State state : states) {
            if (!inDefaultNamespace(state)) {
                continue;
            }
            TypeSerializer value =
                    SavepointStates.decode(state.serializers().get("VALUE_SERIALIZER"), loader)
                            .restoreSerializer();
            switch (state.kind()) {
                case "VALUE" ->
                        getRuntimeContext()
                                .getState(new ValueStateDescriptor<>(state.name(), value));
                case "MAP" -> {
                    MapSerializer map = (MapSerializer) value;
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>(
                                            state.name(),
                                            map.getKeySerializer(),
                                            map.getValueSerializer()));
                }
                case "LIST" -> {
                    ListState<Object> list =
                            getRuntimeContext()
                                    .getListState(
                                            new ListStateDescriptor<>(
                                                    state.name(),
                                                    ((ListSerializer) value)
                                                            .getElementSerializer()));
                    if (state.name().equals(MERGING_WINDOW_SET)) {
                        mergingWindows = list;
                    }
                }
                default -> throw new IllegalStateException("unexpected kind " + state.kind());
            }
        }
    }

    /** A time window as {@code [start, end)} in ISO-8601; anything else as it prints. */
    static String describe(Object window) {
        if (window instanceof TimeWindow w) {
            return "["
                    + Instant.ofEpochMilli(w.getStart())
                    + ", "
                    + Instant.ofEpochMilli(w.getEnd())
                    + ")";
        }
        return String.valueOf(window);
    }

    @Override
    public void readKey(String key, Context ctx, Collector<Tuple2<String, List<String>>> out)
            throws Exception {
        List<String> open = new ArrayList<>();
        if (mergingWindows != null) {
            Iterable<Object> windows = mergingWindows.get();
            if (windows != null) {
                for (Object mapping : windows) {
                    // (window, state window): the first is the merged window users see.
                    open.add(describe(((Tuple2<?, ?>) mapping).f0));
                }
            }
        }
        out.collect(Tuple2.of(key, open));
    }
}
