package io.tidemark.common.runtime.ingest;

import io.tidemark.common.runtime.record.InputRecord;
import io.tidemark.common.schemas.ErrorEnvelope;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The three ways out of the ingest stage.
 *
 * @param onTime valid records the lateness rule accepted, timestamped with their event time
 * @param late records the rule rejected, as envelopes for the late topic
 * @param dlq records that failed decoding or validation, as envelopes for the DLQ
 */
public record Ingested<T>(
        DataStream<InputRecord<T>> onTime,
        DataStream<ErrorEnvelope> late,
        DataStream<ErrorEnvelope> dlq) {}
