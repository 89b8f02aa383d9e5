package io.tidemark.common.runtime.ingest;

import io.tidemark.common.runtime.eventtime.LatenessClassifier;
import io.tidemark.common.runtime.eventtime.TimestampOverride;
import io.tidemark.common.runtime.record.InputRecord;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Validation → deterministic lateness for one input, the same wiring in STREAMING and BATCH:
 *
 * <pre>
 *   source ─▶ validate ─(bad)─▶ dlq
 *                │
 *                ▼
 *      stamp offset ─▶ keyBy(topic/partition) ─▶ classify ─(late)─▶ late
 *                                              │
 *                                              ▼
 *                                   stamp event time ─▶ on time
 * </pre>
 *
 * Every operator gets the uid {@code <job>.<stage>.<input>} and a readable name.
 */
public final class IngestStage {

    private IngestStage() {}

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
                                "stamp offset " + inputName,
                                type,
                                new TimestampOverride<T>(TimestampOverride.Source.OFFSET))
                        .uid(uid(uidPrefix, "stamp-offset", inputName))
                        .keyBy(LatenessClassifier::partitionKey, Types.STRING)
                        .process(
                                new LatenessClassifier<T>(job, bound.toMillis(), idleness != null),
                                type)
                        .uid(uid(uidPrefix, "classify", inputName))
                        .name("classify lateness " + inputName);

        SingleOutputStreamOperator<InputRecord<T>> onTime =
                classified
                        .transform(
                                "stamp event time " + inputName,
                                type,
                                new TimestampOverride<T>(TimestampOverride.Source.EVENT_TIME))
                        .uid(uid(uidPrefix, "stamp-event-time", inputName));

        return new Ingested<>(
                onTime,
                classified.getSideOutput(LatenessClassifier.LATE),
                valid.getSideOutput(ValidationRouter.DLQ));
    }

    /** The stages of one input, in order; each operator's uid is {@code <job>.<stage>.<input>}. */
    public static final List<String> STAGES =
            List.of("source", "validate", "stamp-offset", "classify", "stamp-event-time");

    /**
     * The uids one input adds to a job (its source included), for the job's uid manifest. The
     * lateness classifier ({@code classify}) is the stage that holds state.
     */
    public static List<String> uids(String job, String inputName) {
        return STAGES.stream().map(stage -> uid(job, stage, inputName)).toList();
    }

    /** The uid convention: {@code <job>.<stage>.<input>}. */
    public static String uid(String job, String stage, String inputName) {
        return job + "." + stage + "." + inputName;
    }
}
