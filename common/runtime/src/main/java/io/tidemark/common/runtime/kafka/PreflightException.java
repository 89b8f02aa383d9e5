package io.tidemark.common.runtime.kafka;

/** A job would start but could not keep its promises; thrown before {@code execute}. */
public final class PreflightException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public PreflightException(String message) {
        super(message);
    }

    public PreflightException(String message, Throwable cause) {
        super(message, cause);
    }
}
