/**
 * Tidemark's record types (generated from {@code src/main/avro}), their Kafka encoding ({@link
 * io.tidemark.common.schemas.SingleObjectCodec}) and their JSON Lines mapping ({@link
 * io.tidemark.common.schemas.AvroJson}). This module has no Flink dependency so that producers and
 * tools can use it alone.
 */
package io.tidemark.common.schemas;
