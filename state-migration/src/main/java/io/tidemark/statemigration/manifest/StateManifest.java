package io.tidemark.statemigration.manifest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a job keeps in state, as a savepoint of it holds it: the max parallelism (the number of key
 * groups, fixed by the first savepoint) and, per stateful operator, every state's name, scope, kind
 * and serializer snapshots. The manifest of each released version is committed under {@code
 * state-migration/manifests/<job>/<version>.json}; the compatibility gate compares a savepoint with
 * it.
 *
 * <p>Serializer snapshots are kept as Flink writes them (versioned, base64) so the gate can ask
 * Flink itself whether the current serializer reads the old state; the readable fields beside them
 * make a diff of two manifests reviewable.
 */
public record StateManifest(
        String job, String version, int maxParallelism, List<Operator> operators) {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public StateManifest {
        operators = operators.stream().sorted(Comparator.comparing(Operator::uid)).toList();
    }

    /** One stateful operator: its uid, the operator id Flink derives from it, and its states. */
    public record Operator(String uid, String operatorId, List<State> states) {
        public Operator {
            states =
                    states.stream()
                            .sorted(Comparator.comparing(State::scope).thenComparing(State::name))
                            .toList();
        }

        public Optional<State> state(String scope, String name) {
            return states.stream()
                    .filter(s -> s.scope().equals(scope) && s.name().equals(name))
                    .findFirst();
        }
    }

    /**
     * One named state.
     *
     * @param scope {@code keyed}, {@code timers}, {@code operator} or {@code broadcast}
     * @param kind the keyed state type ({@code VALUE}, {@code LIST}, {@code MAP}, …), the operator
     *     state's distribution mode, or {@code PRIORITY_QUEUE} for timers
     * @param serializers serializer role ({@code KEY_SERIALIZER}, {@code VALUE_SERIALIZER}, {@code
     *     NAMESPACE_SERIALIZER}) → its snapshot
     */
    public record State(String name, String scope, String kind, Map<String, Serializer> serializers)
            implements java.io.Serializable {
        public State {
            serializers = new TreeMap<>(serializers);
        }
    }

    /**
     * A serializer snapshot: its class (readable) and the versioned snapshot Flink wrote (base64).
     */
    public record Serializer(String snapshotClass, String snapshot)
            implements java.io.Serializable {}

    public Optional<Operator> operator(String uid) {
        return operators.stream().filter(o -> o.uid().equals(uid)).findFirst();
    }

    public Optional<Operator> operatorById(String operatorId) {
        return operators.stream().filter(o -> o.operatorId().equals(operatorId)).findFirst();
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static StateManifest fromJson(String json) {
        try {
            return JSON.readValue(json, StateManifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a state manifest: " + e.getMessage(), e);
        }
    }

    public static StateManifest read(Path file) {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
