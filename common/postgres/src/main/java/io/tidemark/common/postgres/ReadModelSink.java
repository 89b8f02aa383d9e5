package io.tidemark.common.postgres;

import io.tidemark.common.schemas.ErrorEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A job's PostgreSQL read model, as its topology wires it: {@link #write} puts an {@link
 * UpsertWriter} (uid {@code <job>.postgres.<table>}) beside a Kafka sink, on the same results, and
 * {@link #withRejects} adds the rows the database refused to the job's DLQ stream. When {@code
 * sink.postgres.url} is not set, it adds nothing: the graph is the job's default graph.
 */
public final class ReadModelSink {

    private final PostgresConfig config;
    private final String job;
    private final String uidPrefix;
    private final List<DataStream<ErrorEnvelope>> rejected = new ArrayList<>();

    private ReadModelSink(PostgresConfig config, String job, String uidPrefix) {
        this.config = config;
        this.job = job;
        this.uidPrefix = uidPrefix;
    }

    /**
     * @param config the read model's settings; empty = no PostgreSQL sink
     * @param job the job's name, written into envelopes
     * @param uidPrefix the job's uid prefix
     */
    public static ReadModelSink of(Optional<PostgresConfig> config, String job, String uidPrefix) {
        return new ReadModelSink(config.orElse(null), job, uidPrefix);
    }

    public boolean enabled() {
        return config != null;
    }

    /**
     * Before the job starts: connect (fail fast naming the URL) and migrate or check the schema.
     * Does nothing when the sink is off.
     */
    public void preflight() {
        if (config != null) {
            ReadModelSchema.preflight(config);
        }
    }

    /**
     * Writes {@code results} (what the Kafka sink of {@code topic} writes, after the same filters)
     * into {@code table}.
     */
    public <T> void write(DataStream<T> results, ReadModelTable<T> table, String topic) {
        if (config == null) {
            return;
        }
        rejected.add(
                results.transform(
                                "upsert into " + table.name(),
                                new AvroTypeInfo<>(ErrorEnvelope.class),
                                new UpsertWriter<>(config, table, job, topic))
                        .uid(uid(uidPrefix, table.name()))
                        .name("upsert into " + table.name()));
    }

    /**
     * {@code dlq} with the rows the database refused (reason {@code INVALID_FIELD}, message {@code
     * PostgreSQL table …}) added.
     */
    public DataStream<ErrorEnvelope> withRejects(DataStream<ErrorEnvelope> dlq) {
        DataStream<ErrorEnvelope> all = dlq;
        for (DataStream<ErrorEnvelope> r : rejected) {
            all = all.union(r);
        }
        return all;
    }

    /** The uid of the writer of {@code table}: {@code <job>.postgres.<table>}. */
    public static String uid(String uidPrefix, String table) {
        return uidPrefix + ".postgres." + table;
    }
}
