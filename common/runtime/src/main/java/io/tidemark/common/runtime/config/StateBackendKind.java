package io.tidemark.common.runtime.config;

/** Where keyed state lives. */
public enum StateBackendKind {
    ROCKSDB,
    HASHMAP
}
