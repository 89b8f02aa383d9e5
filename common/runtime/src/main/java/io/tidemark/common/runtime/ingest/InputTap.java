package io.tidemark.common.runtime.ingest;

import io.tidemark.common.runtime.record.InputRecord;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A seam between each Kafka source and its ingest stage, the way flink-training injects sources and
 * sinks into a job: the real topology is built either way, and a test (or the CLI's determinism
 * verifier) may wrap each input with an operator of its own, for example one that fails the job
 * after a checkpoint. Production jobs use {@link #NONE}, so their graph holds nothing that is not
 * part of the job.
 */
public interface InputTap {

    /** Inserts nothing: what every job runs with outside tests and tools. */
    InputTap NONE =
            new InputTap() {
                @Override
                public <T> DataStream<InputRecord<T>> apply(
                        DataStream<InputRecord<T>> records, String uidPrefix, String inputName) {
                    return records;
                }
            };

    /**
     * @param records what the source of one input emits, with its watermarks
     * @param uidPrefix the job's fixed name, for the uids of anything inserted
     * @param inputName the input's short name, e.g. {@code clicks}
     * @return the stream the ingest stage reads
     */
    <T> DataStream<InputRecord<T>> apply(
            DataStream<InputRecord<T>> records, String uidPrefix, String inputName);
}
