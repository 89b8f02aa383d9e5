package io.tidemark.statemigration.inspect;

import io.tidemark.statemigration.manifest.SavepointStates;
import io.tidemark.statemigration.manifest.SavepointStates.OperatorContents;
import io.tidemark.statemigration.manifest.StateManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * What {@code tidemark savepoint inspect} shows: every operator with state, its uid, parallelism,
 * size and states (name, scope, kind, serializer), and for keyed operators the number of keys and
 * the windows a merging window operator holds open per key. Keys are read with the State Processor
 * API, registering each state with the serializer restored from the savepoint itself.
 */
public final class SavepointInspection {

    /** How many keys' open windows the report lists per operator. */
    static final int SAMPLE_KEYS = 5;

    /** One operator: what the metadata says, and what its keyed state holds (null: not read). */
    public record Operator(OperatorContents contents, List<Tuple2<String, List<String>>> keys) {
        public long openWindows() {
            return keys == null ? 0 : keys.stream().mapToLong(k -> k.f1.size()).sum();
        }
    }

    private final Path savepoint;
    private final List<Operator> operators;

    private SavepointInspection(Path savepoint, List<Operator> operators) {
        this.savepoint = savepoint;
        this.operators = operators;
    }

    public List<Operator> operators() {
        return operators;
    }

    /**
     * @param uidsById operator id → uid for operators whose uid the metadata does not carry
     */
    public static SavepointInspection of(Path savepoint, Map<String, String> uidsById)
            throws Exception {
        List<Operator> operators = new ArrayList<>();
        for (OperatorContents contents : SavepointStates.read(savepoint, uidsById)) {
            if (contents.states().isEmpty()) {
                continue;
            }
            List<Tuple2<String, List<String>>> keys = null;
            if (stringKeyed(contents.states()) && KeyedStateScan.canScan(contents.states())) {
                keys = scan(savepoint, contents);
            }
            operators.add(new Operator(contents, keys));
        }
        operators.sort(Comparator.comparing(o -> o.contents().uid()));
        return new SavepointInspection(savepoint, operators);
    }

    private static boolean stringKeyed(List<StateManifest.State> states) {
        return states.stream()
                .map(s -> s.serializers().get("KEY_SERIALIZER"))
                .filter(java.util.Objects::nonNull)
                .anyMatch(k -> k.snapshotClass().contains("StringSerializer"));
    }

    private static List<Tuple2<String, List<String>>> scan(
            Path savepoint, OperatorContents contents) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        List<Tuple2<String, List<String>>> rows = new ArrayList<>();
        try (CloseableIterator<Tuple2<String, List<String>>> it =
                SavepointReader.read(
                                env,
                                savepoint.toAbsolutePath().toUri().toString(),
                                new EmbeddedRocksDBStateBackend())
                        .readKeyedState(
                                OperatorIdentifier.forUidHash(contents.operatorId()),
                                new KeyedStateScan(contents.states()),
                                org.apache.flink.api.common.typeinfo.Types.STRING,
                                KeyedStateScan.ROW)
                        .executeAndCollect("tidemark-savepoint-inspect " + contents.uid())) {
            it.forEachRemaining(rows::add);
        }
        rows.sort(Comparator.comparing(r -> r.f0));
        return rows;
    }

    /** The report, one block per operator. */
    public String render() {
        StringBuilder text = new StringBuilder("savepoint " + savepoint + "\n");
        for (Operator operator : operators) {
            OperatorContents c = operator.contents();
            text.append(
                    String.format(
                            "%n%s  (id %s)%n  parallelism %d, max parallelism %d, %s%s%n",
                            c.uid(),
                            c.operatorId(),
                            c.parallelism(),
                            c.maxParallelism(),
                            bytes(c.stateSize()),
                            operator.keys() == null
                                    ? ""
                                    : ", " + operator.keys().size() + " keys"));
            for (StateManifest.State state : c.states()) {
                StateManifest.Serializer value = state.serializers().get("VALUE_SERIALIZER");
                text.append(
                        String.format(
                                "    %-9s %-36s %-16s %s%n",
                                state.scope(),
                                state.name(),
                                state.kind(),
                                value == null ? "" : shortName(value.snapshotClass())));
            }
            if (operator.openWindows() > 0) {
                text.append(
                        String.format(
                                "  open windows: %d over %d keys; first keys:%n",
                                operator.openWindows(),
                                operator.keys().stream().filter(k -> !k.f1.isEmpty()).count()));
                operator.keys().stream()
                        .filter(k -> !k.f1.isEmpty())
                        .limit(SAMPLE_KEYS)
                        .forEach(
                                k ->
                                        text.append("    ")
                                                .append(k.f0)
                                                .append(' ')
                                                .append(k.f1)
                                                .append('\n'));
            }
        }
        return text.toString();
    }

    private static String shortName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String bytes(long size) {
        return size < 1024 ? size + " B" : String.format("%.1f KiB", size / 1024.0);
    }
}
