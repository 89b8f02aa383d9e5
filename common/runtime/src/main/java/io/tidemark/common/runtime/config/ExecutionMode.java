package io.tidemark.common.runtime.config;

/** How a job runs: live and unbounded, or as a bounded batch backfill. */
public enum ExecutionMode {
    STREAMING,
    BATCH
}
