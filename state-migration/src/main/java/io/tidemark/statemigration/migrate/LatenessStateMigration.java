package io.tidemark.statemigration.migrate;

import io.tidemark.common.runtime.eventtime.LatenessClassifier;
import io.tidemark.common.runtime.ingest.IngestStage;
import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.statemigration.gate.SavepointGate;
import io.tidemark.statemigration.manifest.SavepointStates;
import io.tidemark.statemigration.manifest.StateManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.api.functions.StateBootstrapFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.util.Collector;

/**
 * The state migration release 0.3.0 needs: up to 0.2.0 the lateness classifier ran after a {@code
 * keyBy(topic/partition)} as {@code <job>.classify.<input>} and kept each partition's maximum event
 * time as keyed {@code ValueState<Long>}; from 0.3.0 it is chained to the source as {@code
 * <job>.lateness.<input>} and keeps the same maxima as union operator state of {@code (partition,
 * maximum)} entries. Flink cannot turn keyed state into operator state on restore, so this rewrites
 * the savepoint: every maximum is carried over unchanged, and the resumed job classifies the
 * records after the savepoint exactly as the old version would have.
 */
public final class LatenessStateMigration {

    private LatenessStateMigration() {}

    /** An input whose classifier state moves: the old keyed uid and the new chained one. */
    public record Move(String fromUid, String toUid) {}

    /**
     * The moves {@code savepoint} needs for {@code job}: one per input whose keyed classifier state
     * it holds; empty when it holds none (a savepoint of 0.3.0 or later).
     */
    public static List<Move> needed(TidemarkJob job, Path savepoint) {
        List<Move> moves = new ArrayList<>();
        List<Move> all = moves(job);
        StateManifest held =
                SavepointStates.manifest(
                        job.name(), "savepoint", savepoint, SavepointGate.knownUids(job));
        for (Move move : all) {
            if (held.operator(move.fromUid()).isPresent()) {
                moves.add(move);
            }
        }
        return moves;
    }

    /**
     * Adds the moves {@code savepoint} needs to {@code migration}; returns them (empty when it
     * needs none).
     */
    public static List<Move> addTo(SavepointMigration migration, TidemarkJob job, Path savepoint) {
        List<Move> moves = needed(job, savepoint);
        for (Move move : moves) {
            migration.rebuild(
                    move.fromUid(),
                    move.toUid(),
                    (env, source) ->
                            OperatorTransformation.bootstrapWith(
                                            SavepointReader.read(
                                                            env,
                                                            source.toUri().toString(),
                                                            new EmbeddedRocksDBStateBackend())
                                                    .readKeyedState(
                                                            OperatorIdentifier.forUid(
                                                                    move.fromUid()),
                                                            new ReadKeyedMaxima(),
                                                            Types.STRING,
                                                            Types.TUPLE(Types.STRING, Types.LONG)))
                                    .transform(new WriteUnionMaxima()));
        }
        return moves;
    }

    /** Every input's move for {@code job}, from the uids of its current classifiers. */
    public static List<Move> moves(TidemarkJob job) {
        String lateness = "." + IngestStage.LATENESS_STAGE + ".";
        String keyed = "." + IngestStage.KEYED_CLASSIFIER_STAGE + ".";
        return job.operatorUids().stream()
                .filter(uid -> uid.startsWith(job.name() + lateness))
                .map(uid -> new Move(uid.replace(lateness, keyed), uid))
                .toList();
    }

    /** The old classifier's keyed state, one {@code (topic/partition, maximum)} row per key. */
    static final class ReadKeyedMaxima
            extends KeyedStateReaderFunction<String, Tuple2<String, Long>> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> max;

        @Override
        public void open(OpenContext context) {
            max =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            LatenessClassifier.MAX_EVENT_TIME_STATE, Types.LONG));
        }

        @Override
        public void readKey(String key, Context ctx, Collector<Tuple2<String, Long>> out)
                throws Exception {
            Long value = max.value();
            if (value != null) {
                out.collect(Tuple2.of(key, value));
            }
        }
    }

    /** Writes the rows as the new classifier's union list state. */
    static final class WriteUnionMaxima extends StateBootstrapFunction<Tuple2<String, Long>> {
        private static final long serialVersionUID = 1L;
        private transient ListState<Tuple2<String, Long>> maxima;

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            maxima =
                    context.getOperatorStateStore()
                            .getUnionListState(LatenessClassifier.maxEventTimeState());
        }

        @Override
        public void processElement(Tuple2<String, Long> entry, Context ctx) throws Exception {
            maxima.add(entry);
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            // The list is the state: nothing else to write.
        }
    }
}
