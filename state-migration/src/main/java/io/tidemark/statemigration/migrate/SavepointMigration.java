package io.tidemark.statemigration.migrate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Rewrites a savepoint into a new one with the State Processor API, for the changes Flink cannot
 * make on restore: an operator's uid renamed, or an operator's state rebuilt by a transformation
 * (read the old state with {@code SavepointReader}, turn it into the new shape, bootstrap it with
 * {@link #replace}). The source savepoint is never modified. Writing runs in BATCH.
 *
 * <pre>{@code
 * SavepointMigration.from(old)
 *     .renameUid("sessionization.dedup", "sessionization.dedup-by-event")
 *     .writeTo(migrated);
 * }</pre>
 */
public final class SavepointMigration {

    /**
     * A transformation hook: builds the new state of one operator in the migration's environment
     * (typically {@code SavepointReader.read(env, old, backend).readKeyedState(...)} then {@code
     * OperatorTransformation.bootstrapWith(...)}).
     */
    @FunctionalInterface
    public interface StateRewrite {
        StateBootstrapTransformation<?> build(StreamExecutionEnvironment env, Path savepoint)
                throws Exception;
    }

    private final Path source;
    private final Map<String, String> renames = new LinkedHashMap<>();

    /** New uid → its bootstrapped state. */
    private final Map<String, StateRewrite> rewrites = new LinkedHashMap<>();

    /** New uid → the old uid whose state it replaces (the same uid when replaced in place). */
    private final Map<String, String> rewrittenFrom = new LinkedHashMap<>();

    private SavepointMigration(Path source) {
        if (!Files.isRegularFile(source.resolve("_metadata"))) {
            throw new IllegalArgumentException(
                    source + " is not a savepoint directory: it has no _metadata file");
        }
        this.source = source;
    }

    public static SavepointMigration from(Path savepoint) {
        return new SavepointMigration(savepoint);
    }

    /** The state of operator {@code from} belongs to operator {@code to} in the new savepoint. */
    public SavepointMigration renameUid(String from, String to) {
        if (from.equals(to) || renames.containsKey(from) || renames.containsValue(to)) {
            throw new IllegalArgumentException(
                    "cannot rename uid " + from + " to " + to + ": " + renames);
        }
        renames.put(from, to);
        return this;
    }

    /** Operator {@code uid}'s state is replaced by what {@code rewrite} bootstraps. */
    public SavepointMigration replace(String uid, StateRewrite rewrite) {
        return rebuild(uid, uid, rewrite);
    }

    /**
     * Operator {@code from}'s state is removed and operator {@code to} gets what {@code rewrite}
     * bootstraps (typically from {@code from}'s state): for a state Flink cannot carry over, such
     * as keyed state that became operator state.
     */
    public SavepointMigration rebuild(String from, String to, StateRewrite rewrite) {
        if (rewrites.containsKey(to) || rewrittenFrom.containsValue(from)) {
            throw new IllegalArgumentException(
                    "uid " + from + " or " + to + " is already rewritten: " + rewrittenFrom);
        }
        rewrites.put(to, rewrite);
        rewrittenFrom.put(to, from);
        return this;
    }

    /** Writes the new savepoint to {@code target}, which must not exist yet. */
    public void writeTo(Path target) throws Exception {
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " already exists; choose a new path");
        }
        if (renames.isEmpty() && rewrites.isEmpty()) {
            throw new IllegalArgumentException(
                    "nothing to migrate: no uid renamed, no state rewritten");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        SavepointWriter writer =
                SavepointWriter.fromExistingSavepoint(
                        env, source.toUri().toString(), new EmbeddedRocksDBStateBackend());
        renames.forEach(
                (from, to) ->
                        writer.changeOperatorIdentifier(
                                OperatorIdentifier.forUid(from), OperatorIdentifier.forUid(to)));
        List<String> replaced = new ArrayList<>();
        for (Map.Entry<String, StateRewrite> rewrite : rewrites.entrySet()) {
            String from = rewrittenFrom.get(rewrite.getKey());
            writer.removeOperator(OperatorIdentifier.forUid(from));
            writer.withOperator(
                    OperatorIdentifier.forUid(rewrite.getKey()),
                    rewrite.getValue().build(env, source));
            replaced.add(from.equals(rewrite.getKey()) ? from : from + " -> " + rewrite.getKey());
        }
        writer.write(target.toUri().toString());
        env.execute("tidemark-savepoint-migrate " + renames + " " + replaced);
    }
}
