package io.tidemark.statemigration.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.common.runtime.job.TidemarkJob;
import io.tidemark.jobs.enrichment.EnrichmentJob;
import io.tidemark.jobs.revenue.RevenueJob;
import io.tidemark.jobs.sessionization.SessionizationJob;
import io.tidemark.statemigration.gate.Finding.Verdict;
import io.tidemark.statemigration.manifest.CommittedManifests;
import io.tidemark.statemigration.manifest.SavepointStates;
import io.tidemark.statemigration.manifest.StateManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compatibility gate on each job's committed manifest (what the job holds today) and on
 * synthetic changes to it: what must pass, what must be refused, and that a refusal names the
 * operator and the way out.
 */
class CompatibilityGateTest {

    static Stream<TidemarkJob> jobs() {
        return Stream.of(new SessionizationJob(), new EnrichmentJob(), new RevenueJob());
    }

    private static GateReport check(
            StateManifest savepoint,
            StateManifest current,
            List<String> uids,
            int maxParallelism,
            Set<String> allowDropped) {
        return CompatibilityGate.check(
                "sp", savepoint, current, uids, maxParallelism, allowDropped);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void theCurrentManifestResumesItself(TidemarkJob job) {
        StateManifest current = CommittedManifests.current(job.name());

        GateReport report = check(current, current, job.operatorUids(), 128, Set.of());

        assertThat(report.passes()).as(report.render()).isTrue();
        assertThat(report.findings()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void removingAStatefulOperatorIsRefusedUnlessItsUidIsAllowed(TidemarkJob job) {
        StateManifest current = CommittedManifests.current(job.name());
        String removed =
                job.name()
                        + (job instanceof SessionizationJob
                                ? ".lateness.clicks"
                                : ".lateness.orders");
        List<String> uids = new ArrayList<>(job.operatorUids());
        assertThat(uids.remove(removed)).isTrue();
        StateManifest without = without(current, removed);

        GateReport refused = check(current, without, uids, 128, Set.of());
        GateReport allowed = check(current, without, uids, 128, Set.of(removed));

        assertThat(refused.passes()).isFalse();
        assertThat(refused.refused())
                .singleElement()
                .satisfies(
                        f -> {
                            assertThat(f.uid()).isEqualTo(removed);
                            assertThat(f.message()).contains("--allow-dropped " + removed);
                        });
        assertThat(refused.render()).startsWith("REFUSED").contains(removed);
        assertThat(allowed.passes()).as(allowed.render()).isTrue();
        assertThat(allowed.findings()).extracting(Finding::verdict).containsOnly(Verdict.ALLOWED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void anotherMaxParallelismIsRefused(TidemarkJob job) {
        StateManifest current = CommittedManifests.current(job.name());

        GateReport report = check(current, current, job.operatorUids(), 256, Set.of());

        assertThat(report.passes()).isFalse();
        assertThat(report.refused())
                .singleElement()
                .extracting(Finding::message)
                .asString()
                .contains("max parallelism 128 in the savepoint, 256 configured")
                .contains("'max-parallelism'");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void anOperatorWithNewStatePassesWithANote(TidemarkJob job) {
        StateManifest current = CommittedManifests.current(job.name());
        String added = current.operators().get(0).uid();

        GateReport report =
                check(without(current, added), current, job.operatorUids(), 128, Set.of());

        assertThat(report.passes()).as(report.render()).isTrue();
        assertThat(report.findings())
                .singleElement()
                .satisfies(
                        f -> {
                            assertThat(f.verdict()).isEqualTo(Verdict.NOTE);
                            assertThat(f.uid()).isEqualTo(added);
                            assertThat(f.message()).contains("starts empty");
                        });
    }

    // ------------------------------------------------------------------ one state, changed

    private static final Schema V1 =
            SchemaBuilder.record("SessionState")
                    .namespace("io.tidemark.test")
                    .fields()
                    .requiredLong("start")
                    .requiredLong("events")
                    .endRecord();

    @Test
    void avroStateEvolvedWithADefaultPassesAsAMigration() {
        Schema v2 =
                SchemaBuilder.record("SessionState")
                        .namespace("io.tidemark.test")
                        .fields()
                        .requiredLong("start")
                        .requiredLong("events")
                        .name("checkouts")
                        .type()
                        .longType()
                        .longDefault(0)
                        .endRecord();

        GateReport report = checkOneState(avro(V1), avro(v2), "VALUE");

        assertThat(report.passes()).as(report.render()).isTrue();
        assertThat(report.findings())
                .singleElement()
                .satisfies(
                        f -> {
                            assertThat(f.verdict()).isEqualTo(Verdict.NOTE);
                            assertThat(f.message()).contains("migrates the state on restore");
                        });
    }

    @Test
    void avroFieldAddedWithoutADefaultIsRefused() {
        Schema v2 =
                SchemaBuilder.record("SessionState")
                        .namespace("io.tidemark.test")
                        .fields()
                        .requiredLong("start")
                        .requiredLong("events")
                        .requiredLong("checkouts")
                        .endRecord();

        GateReport report = checkOneState(avro(V1), avro(v2), "VALUE");

        assertThat(report.passes()).isFalse();
        assertThat(report.refused())
                .singleElement()
                .extracting(Finding::message)
                .asString()
                .contains("VALUE_SERIALIZER incompatible");
    }

    @Test
    void aStateOfAnotherTypeIsRefused() {
        GateReport report =
                checkOneState(LongSerializer.INSTANCE, StringSerializer.INSTANCE, "VALUE");

        assertThat(report.passes()).isFalse();
        assertThat(report.refused()).singleElement().extracting(Finding::state).isEqualTo("s");
    }

    @Test
    void aStateOfAnotherKindIsRefused() {
        StateManifest old = manifest(state("VALUE", LongSerializer.INSTANCE));
        StateManifest now = manifest(state("LIST", LongSerializer.INSTANCE));

        GateReport report = check(old, now, List.of("op"), 128, Set.of());

        assertThat(report.refused())
                .singleElement()
                .extracting(Finding::message)
                .isEqualTo("was VALUE, is now LIST");
    }

    @Test
    void aStateTheOperatorNoLongerDeclaresIsRefused() {
        StateManifest old = manifest(state("VALUE", LongSerializer.INSTANCE));
        StateManifest now =
                new StateManifest(
                        "job",
                        "2",
                        128,
                        List.of(new StateManifest.Operator("op", "id", List.of())));

        GateReport report = check(old, now, List.of("op"), 128, Set.of());

        assertThat(report.refused())
                .singleElement()
                .extracting(Finding::message)
                .asString()
                .contains("no longer declares this keyed state");
    }

    private static GateReport checkOneState(
            TypeSerializer<?> before, TypeSerializer<?> after, String kind) {
        return check(
                manifest(state(kind, before)),
                manifest(state(kind, after)),
                List.of("op"),
                128,
                Set.of());
    }

    private static AvroSerializer<GenericRecord> avro(Schema schema) {
        return new AvroSerializer<>(GenericRecord.class, schema);
    }

    private static StateManifest.State state(String kind, TypeSerializer<?> value) {
        return new StateManifest.State(
                "s",
                "keyed",
                kind,
                Map.of("VALUE_SERIALIZER", SavepointStates.encode(value.snapshotConfiguration())));
    }

    private static StateManifest manifest(StateManifest.State state) {
        return new StateManifest(
                "job", "1", 128, List.of(new StateManifest.Operator("op", "id", List.of(state))));
    }

    private static StateManifest without(StateManifest manifest, String uid) {
        return new StateManifest(
                manifest.job(),
                manifest.version(),
                manifest.maxParallelism(),
                manifest.operators().stream().filter(o -> !o.uid().equals(uid)).toList());
    }
}
