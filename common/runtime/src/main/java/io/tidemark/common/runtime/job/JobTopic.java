package io.tidemark.common.runtime.job;

/**
 * One topic a job reads or writes, as tools (replay, demo, backfill) need to know it.
 *
 * @param role what the topic is to the job, e.g. {@code clicks}, {@code output}, {@code late};
 *     replay files are named after it ({@code <role>.jsonl})
 * @param topic the Kafka topic under the job's configuration
 * @param type the Avro record type (simple name) of its values
 */
public record JobTopic(String role, String topic, String type) {}
