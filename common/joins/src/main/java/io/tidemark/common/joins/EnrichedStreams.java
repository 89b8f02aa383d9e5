package io.tidemark.common.joins;

import io.tidemark.common.schemas.EnrichedOrder;
import io.tidemark.common.schemas.ErrorEnvelope;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * What the enrichment stage gives its job.
 *
 * @param orders enriched orders, timestamped with the order's event time, each emitted once all
 *     inputs' watermarks have passed it
 * @param late late records of all three inputs, as envelopes
 * @param dlq bad records of all three inputs, and orders whose lines did not all arrive by the
 *     assembly timeout ({@code INCOMPLETE_ORDER}), as envelopes
 */
public record EnrichedStreams(
        DataStream<EnrichedOrder> orders,
        DataStream<ErrorEnvelope> late,
        DataStream<ErrorEnvelope> dlq) {}
