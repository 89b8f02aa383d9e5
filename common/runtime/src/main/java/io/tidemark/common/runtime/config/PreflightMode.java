package io.tidemark.common.runtime.config;

/**
 * How the sink preflight treats the one check that asks the brokers ({@code transaction.max
 * .timeout.ms} through {@code describeConfigs}, which needs the {@code DescribeConfigs} ACL on the
 * cluster). The checks that need no broker always run.
 */
public enum PreflightMode {
    /** Ask the brokers; when not authorised, log a warning and start anyway (the default). */
    TOLERANT,
    /** Ask the brokers; when not authorised, or the answer cannot be had, refuse to start. */
    STRICT,
    /** Do not ask the brokers (e.g. a JobManager failover re-running an already checked main). */
    OFF
}
