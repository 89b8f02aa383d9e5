package io.tidemark.statemigration.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.common.runtime.eventtime.LatenessClassifier;
import io.tidemark.common.testing.TidemarkMiniCluster;
import io.tidemark.jobs.sessionization.SessionizationJob;
import io.tidemark.statemigration.fixtures.Fixture;
import io.tidemark.statemigration.gate.GateReport;
import io.tidemark.statemigration.gate.SavepointGate;
import io.tidemark.statemigration.manifest.SavepointStates;
import io.tidemark.statemigration.manifest.StateManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Savepoint migrations on the committed sessionization fixture, checked by reading the result. */
class SavepointMigrationITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TidemarkMiniCluster.extension();

    private static final String CLASSIFY = "sessionization.classify.clicks";
    private static final String DEDUP = "sessionization.dedup";

    @TempDir Path tmp;

    private static Path fixture() {
        return Fixture.of("sessionization").get(0).savepoint().toAbsolutePath();
    }

    @Test
    void renamedUidCarriesTheOperatorsStateAndTheOldUidIsGone() throws Exception {
        Path migrated = tmp.resolve("renamed");

        SavepointMigration.from(fixture())
                .renameUid(DEDUP, "sessionization.dedup-v2")
                .writeTo(migrated);

        Map<String, String> names =
                SavepointStates.uidsById(List.of(DEDUP, "sessionization.dedup-v2"));
        StateManifest before = SavepointStates.manifest("s", "old", fixture(), names);
        StateManifest after = SavepointStates.manifest("s", "new", migrated, names);
        assertThat(after.operator(DEDUP)).isEmpty();
        assertThat(after.operator("sessionization.dedup-v2"))
                .get()
                .extracting(StateManifest.Operator::states)
                .isEqualTo(before.operator(DEDUP).orElseThrow().states());
        // The current job still calls it sessionization.dedup: to the gate, the renamed state
        // would be dropped and the dedup operator would start empty.
        GateReport report = SavepointGate.check(new SessionizationJob(), migrated, 128, Set.of());
        assertThat(report.passes()).isFalse();
        assertThat(report.render())
                .contains("sessionization.dedup-v2: the job no longer has this operator")
                .contains(DEDUP + ": not in the savepoint: its state starts empty");
    }

    @Test
    void aRewriteHookReplacesAnOperatorsState() throws Exception {
        Path migrated = tmp.resolve("rewritten");
        Map<String, Long> original = maxima(fixture());

        SavepointMigration.from(fixture())
                .replace(
                        CLASSIFY,
                        (env, savepoint) ->
                                OperatorTransformation.bootstrapWith(readMaxima(env, savepoint))
                                        .keyBy(t -> t.f0, Types.STRING)
                                        .transform(new WriteShiftedMaxima()))
                .writeTo(migrated);

        Map<String, Long> shifted = new TreeMap<>();
        original.forEach((key, max) -> shifted.put(key, max + 1));
        assertThat(original).isNotEmpty();
        assertThat(maxima(migrated)).isEqualTo(shifted);
    }

    @Test
    void keyedClassifierMaximaMoveUnchangedToTheChainedClassifiersUnionState() throws Exception {
        Path old = Fixture.at("sessionization", "0.2.0").savepoint().toAbsolutePath();
        Path migrated = tmp.resolve("lateness");
        SavepointMigration migration = SavepointMigration.from(old);

        List<LatenessStateMigration.Move> moved =
                LatenessStateMigration.addTo(migration, new SessionizationJob(), old);
        migration.writeTo(migrated);

        assertThat(moved).hasSize(1);
        Map<String, Long> keyed = maxima(old);
        assertThat(keyed).containsOnlyKeys("clicks/0", "clicks/1");
        assertThat(unionMaxima(migrated)).isEqualTo(keyed);
        assertThat(LatenessStateMigration.needed(new SessionizationJob(), migrated))
                .as("nothing left to move")
                .isEmpty();
        GateReport report = SavepointGate.check(new SessionizationJob(), migrated, 128, Set.of());
        assertThat(report.passes()).as(report.render()).isTrue();
    }

    @Test
    void anExistingTargetIsRefused() {
        assertThatThrownBy(
                        () -> SavepointMigration.from(fixture()).renameUid(DEDUP, "x").writeTo(tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already exists");
    }

    private static Map<String, Long> maxima(Path savepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Map<String, Long> out = new TreeMap<>();
        List<Tuple2<String, Long>> rows = new ArrayList<>();
        try (CloseableIterator<Tuple2<String, Long>> it =
                readMaxima(env, savepoint).executeAndCollect()) {
            it.forEachRemaining(rows::add);
        }
        rows.forEach(t -> out.put(t.f0, t.f1));
        return out;
    }

    /** The chained classifier's union state in {@code savepoint}: partition → maximum. */
    private static Map<String, Long> unionMaxima(Path savepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Map<String, Long> out = new TreeMap<>();
        try (CloseableIterator<Tuple2<String, Long>> it =
                SavepointReader.read(
                                env,
                                savepoint.toUri().toString(),
                                new EmbeddedRocksDBStateBackend())
                        .readUnionState(
                                OperatorIdentifier.forUid("sessionization.lateness.clicks"),
                                LatenessClassifier.MAX_EVENT_TIME_STATE,
                                Types.<Tuple2<String, Long>>TUPLE(Types.STRING, Types.LONG))
                        .executeAndCollect()) {
            it.forEachRemaining(t -> out.merge(t.f0, t.f1, Math::max));
        }
        return out;
    }

    /** The keyed lateness classifier's per-partition maxima in {@code savepoint}, as a stream. */
    private static DataStream<Tuple2<String, Long>> readMaxima(
            StreamExecutionEnvironment env, Path savepoint) throws java.io.IOException {
        return SavepointReader.read(
                        env, savepoint.toUri().toString(), new EmbeddedRocksDBStateBackend())
                .readKeyedState(
                        OperatorIdentifier.forUid(CLASSIFY),
                        new ReadMaxima(),
                        Types.STRING,
                        Types.TUPLE(Types.STRING, Types.LONG));
    }

    /** Reads the lateness classifier's per-partition maximum. */
    static final class ReadMaxima extends KeyedStateReaderFunction<String, Tuple2<String, Long>> {
        private transient ValueState<Long> max;

        @Override
        public void open(OpenContext context) {
            max = getRuntimeContext().getState(descriptor());
        }

        @Override
        public void readKey(String key, Context ctx, Collector<Tuple2<String, Long>> out)
                throws Exception {
            out.collect(Tuple2.of(key, max.value()));
        }
    }

    /** Writes each maximum back one millisecond later: a stand-in for a real state change. */
    static final class WriteShiftedMaxima
            extends KeyedStateBootstrapFunction<String, Tuple2<String, Long>> {
        private transient ValueState<Long> max;

        @Override
        public void open(OpenContext context) {
            max = getRuntimeContext().getState(descriptor());
        }

        @Override
        public void processElement(Tuple2<String, Long> value, Context ctx) throws Exception {
            max.update(value.f1 + 1);
        }
    }

    private static ValueStateDescriptor<Long> descriptor() {
        return new ValueStateDescriptor<>(LatenessClassifier.MAX_EVENT_TIME_STATE, Types.LONG);
    }
}
