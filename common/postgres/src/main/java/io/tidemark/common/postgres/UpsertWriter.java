package io.tidemark.common.postgres;

import io.tidemark.common.runtime.metrics.TidemarkMetrics;
import io.tidemark.common.runtime.record.ErrorEnvelopes;
import io.tidemark.common.schemas.ErrorEnvelope;
import io.tidemark.common.schemas.ReasonCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a job's results into one read-model table with idempotent upserts, beside the Kafka sink
 * of the same results.
 *
 * <p>Results are buffered (one per key, the last wins) and written in one transaction per batch:
 * when {@code sink.postgres.batch-size} results are buffered, <b>before every checkpoint barrier
 * </b> ({@link #prepareSnapshotPreBarrier}) and at the end of input ({@link #finish}). So when a
 * checkpoint completes, everything before it is committed in the database, and a restore from it
 * replays only results after it, which the upserts write again with the values they had: every
 * result is a pure function of the input, so the table converges to the same rows however often a
 * part is replayed. Nothing is kept in state.
 *
 * <p>A result the database refuses whatever the retries (a value too long, a check or foreign key
 * violated: SQLSTATE class 22 or 23) is written row by row behind a savepoint to find it, and
 * leaves through this operator's output as an error envelope with reason {@code INVALID_FIELD} and
 * a message {@code PostgreSQL table <table> rejected <key>: SQLSTATE …}, emitted before the
 * barrier, so it reaches the DLQ in the same checkpoint. Any other failure (connection lost,
 * deadlock, shutdown) is retried {@code sink.postgres.max-retries} times on a fresh connection;
 * then the task fails and Flink restarts the job from its last checkpoint.
 *
 * <p>Metrics: {@code tidemark.postgresRows}, {@code tidemark.postgresRetries}, {@code
 * tidemark.reason.INVALID_FIELD.dlq}.
 */
public final class UpsertWriter<T> extends AbstractStreamOperator<ErrorEnvelope>
        implements OneInputStreamOperator<T, ErrorEnvelope> {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(UpsertWriter.class);

    /**
     * How the message of a rejected row's envelope starts. Its reason code is {@code
     * INVALID_FIELD}: a dedicated code would change the {@code ErrorEnvelope} schema, which the
     * order dedup's state holds, and so the jobs' state contract.
     */
    public static final String REJECTED_PREFIX = "PostgreSQL table ";

    private final PostgresConfig config;
    private final ReadModelTable<T> table;
    private final String job;
    private final String topic;

    private transient Map<String, T> buffer;
    private transient TypeSerializer<T> copier;
    private transient Connection connection;
    private transient List<PreparedStatement> statements;
    private transient Counter rows;
    private transient Counter retries;
    private transient Counter rejected;

    /**
     * @param table the table and its upserts
     * @param job the job's name, written into envelopes
     * @param topic the Kafka topic the same results go to, written into envelopes
     */
    public UpsertWriter(PostgresConfig config, ReadModelTable<T> table, String job, String topic) {
        this.config = config;
        this.table = table;
        this.job = job;
        this.topic = topic;
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new LinkedHashMap<>();
        if (getExecutionConfig().isObjectReuseEnabled()) {
            // The buffer outlives the call; with object reuse upstream may reuse the instance.
            copier = getOperatorConfig().getTypeSerializerIn(0, getUserCodeClassloader());
        }
        MetricGroup metrics = TidemarkMetrics.of(getMetricGroup());
        rows = metrics.counter(TidemarkMetrics.POSTGRES_ROWS);
        retries = metrics.counter(TidemarkMetrics.POSTGRES_RETRIES);
        rejected =
                metrics.addGroup(TidemarkMetrics.REASON, ReasonCode.INVALID_FIELD.name())
                        .counter(TidemarkMetrics.DLQ);
    }

    @Override
    public void processElement(StreamRecord<T> element) throws Exception {
        T row = copier == null ? element.getValue() : copier.copy(element.getValue());
        buffer.put(table.key(row), row);
        if (buffer.size() >= config.batchSize()) {
            flush();
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        disconnect();
        super.close();
    }

    /** Writes what is buffered, retrying on a fresh connection, and emits the rejected rows. */
    private void flush() throws Exception {
        if (buffer.isEmpty()) {
            return;
        }
        List<T> batch = new ArrayList<>(buffer.values());
        for (int attempt = 0; ; attempt++) {
            try {
                List<Rejected<T>> refused = write(batch);
                buffer.clear();
                rows.inc(batch.size() - refused.size());
                for (Rejected<T> r : refused) {
                    rejected.inc();
                    ErrorEnvelope envelope = envelope(r);
                    output.collect(
                            new StreamRecord<>(
                                    envelope, envelope.getRecordTimestamp().toEpochMilli()));
                }
                return;
            } catch (SQLException e) {
                disconnect();
                if (attempt >= config.maxRetries()) {
                    throw new IOException(
                            "Writing "
                                    + batch.size()
                                    + " rows to "
                                    + table.name()
                                    + " at "
                                    + config.url()
                                    + " failed "
                                    + (attempt + 1)
                                    + " times (sink.postgres.max-retries = "
                                    + config.maxRetries()
                                    + "); the job restarts from its last checkpoint: "
                                    + SqlErrors.describe(e),
                            e);
                }
                retries.inc();
                LOG.warn(
                        "Writing {} rows to {} at {} failed (attempt {} of {}), retrying: {}",
                        batch.size(),
                        table.name(),
                        config.url(),
                        attempt + 1,
                        config.maxRetries() + 1,
                        SqlErrors.describe(e));
                Thread.sleep(config.retryBackoff().toMillis() * (attempt + 1));
            }
        }
    }

    /**
     * Writes {@code batch} in one transaction; when a row spoils the batch, writes it row by row
     * behind savepoints and returns the rows the database refused.
     */
    private List<Rejected<T>> write(List<T> batch) throws SQLException {
        Connection c = connection();
        try {
            for (T row : batch) {
                table.addBatch(row, statements);
            }
            executeBatches();
            c.commit();
            return List.of();
        } catch (SQLException e) {
            clearBatches();
            c.rollback();
            if (!SqlErrors.isRowError(e)) {
                throw e;
            }
        }
        List<Rejected<T>> refused = new ArrayList<>();
        for (T row : batch) {
            Savepoint savepoint = c.setSavepoint();
            try {
                table.addBatch(row, statements);
                executeBatches();
                c.releaseSavepoint(savepoint);
            } catch (SQLException e) {
                clearBatches();
                if (!SqlErrors.isRowError(e)) {
                    throw e;
                }
                c.rollback(savepoint);
                refused.add(new Rejected<>(row, SqlErrors.describe(e)));
            }
        }
        c.commit();
        return refused;
    }

    private void executeBatches() throws SQLException {
        for (PreparedStatement statement : statements) {
            statement.executeBatch();
        }
    }

    private void clearBatches() throws SQLException {
        for (PreparedStatement statement : statements) {
            statement.clearBatch();
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = config.connect();
            statements = new ArrayList<>();
            for (String sql : table.statements()) {
                statements.add(connection.prepareStatement(sql));
            }
        }
        return connection;
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Closing the connection to {} failed", config.url(), e);
            }
            connection = null;
            statements = null;
        }
    }

    private ErrorEnvelope envelope(Rejected<T> r) {
        String key = table.key(r.row());
        Instant time = Instant.ofEpochMilli(table.eventTime(r.row()));
        return ErrorEnvelope.newBuilder()
                .setKey(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(table.encode(r.row())))
                .setTopic(topic)
                .setPartition(ErrorEnvelopes.NO_POSITION)
                .setOffset(ErrorEnvelopes.NO_POSITION)
                .setReasonCode(ReasonCode.INVALID_FIELD)
                .setMessage(REJECTED_PREFIX + table.name() + " rejected " + key + ": " + r.why())
                .setJob(job)
                .setRecordTimestamp(time)
                .setEventTime(time)
                .build();
    }

    private record Rejected<T>(T row, String why) {}
}
