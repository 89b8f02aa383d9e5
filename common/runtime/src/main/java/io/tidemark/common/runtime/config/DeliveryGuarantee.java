package io.tidemark.common.runtime.config;

/** Delivery guarantee of the job's Kafka sinks. */
public enum DeliveryGuarantee {
    EXACTLY_ONCE,
    AT_LEAST_ONCE,
    NONE
}
