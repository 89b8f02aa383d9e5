package io.tidemark.common.runtime.ingest;

import io.tidemark.common.runtime.eventtime.LateAfterIdle;
import io.tidemark.common.runtime.eventtime.LatenessClassifier;
import io.tidemark.common.runtime.record.InputRecord;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Validation → deterministic lateness for one input, the same wiring in STREAMING and BATCH:
 *
 * <pre>
 *   source ─▶ validate ─▶ classify lateness ─▶ on time
 *                │               │
 *                ▼               ▼
 *               dlq             late
 * </pre>
 *
 * Both stages are chained to the source (forward edges, no shuffle): the classifier sees each
 * partition in offset order in both execution modes, and its load follows the source's partitions.
 * With processing-time idleness switched on, a {@link LateAfterIdle} stage follows after a
 * rebalance, where the watermark is the one the windows will see.
 *
 * <p>Every operator gets the uid {@code <job>.<stage>.<input>} and a readable name.
 */
public final class IngestStage {

    private IngestStage() {}

    /** The stage of the lateness classifier, the one that holds state. */
    public static final String LATENESS_STAGE = "lateness";

    /** The stages of one input, in order; each operator's uid is {@code <job>.<stage>.<input>}. */
    public static final List<String> STAGES = List.of("source", "validate", LATENESS_STAGE);

    /** The stage only a job with processing-time idleness has. */
    public static final String LATE_AFTER_IDLE_STAGE = "late-after-idle";

    /**
     * The keyed lateness classifier of releases up to 0.2.0 (after a {@code keyBy(partition)}),
     * whose state {@code tidemark savepoint migrate --lateness-state} moves to {@code lateness}.
     */
    public static final String KEYED_CLASSIFIER_STAGE = "classify";

    /**
     * @param input the stream from {@code env.fromSource(...)} with {@code InputWatermarks}
     * @param uidPrefix the job's fixed name, prefix of the uids
     * @param job the configured job name, written into envelopes
     * @param inputName short name of the input, e.g. the topic ({@code clicks})
     * @param bound the out-of-orderness bound {@code B}
     * @param idleness processing-time idleness or null when off
     */
    public static <T> Ingested<T> apply(
            DataStream<InputRecord<T>> input,
            String uidPrefix,
            String job,
            String inputName,
            Duration bound,
            Duration idleness) {
        TypeInformation<InputRecord<T>> type = input.getType();

        SingleOutputStreamOperator<InputRecord<T>> valid =
                input.process(new ValidationRouter<T>(job), type)
                        .uid(uid(uidPrefix, "validate", inputName))
                        .name("validate " + inputName);

        SingleOutputStreamOperator<InputRecord<T>> classified =
                valid.transform(
                                "classify lateness " + inputName,
                                type,
                                new LatenessClassifier<T>(job, bound.toMillis(), idleness != null))
                        .uid(uid(uidPrefix, LATENESS_STAGE, inputName));
        if (idleness == null) {
            return new Ingested<>(
                    classified,
                    classified.getSideOutput(LatenessClassifier.LATE),
                    valid.getSideOutput(ValidationRouter.DLQ));
        }
        SingleOutputStreamOperator<InputRecord<T>> onTime =
                classified
                        .rebalance()
                        .process(new LateAfterIdle<T>(job), type)
                        .uid(uid(uidPrefix, LATE_AFTER_IDLE_STAGE, inputName))
                        .name("late after idle " + inputName);
        return new Ingested<>(
                onTime,
                classified
                        .getSideOutput(LatenessClassifier.LATE)
                        .union(onTime.getSideOutput(LatenessClassifier.LATE)),
                valid.getSideOutput(ValidationRouter.DLQ));
    }

    /**
     * The uids one input adds to a job (its source included), for the job's uid manifest. The
     * lateness classifier ({@code lateness}) is the stage that holds state.
     */
    public static List<String> uids(String job, String inputName) {
        return STAGES.stream().map(stage -> uid(job, stage, inputName)).toList();
    }

    /** The uid convention: {@code <job>.<stage>.<input>}. */
    public static String uid(String job, String stage, String inputName) {
        return job + "." + stage + "." + inputName;
    }
}
