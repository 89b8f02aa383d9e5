package io.tidemark.common.runtime.record;

import java.io.Serializable;
import java.time.Duration;

/**
 * Generic validation limits. Event time is compared with the Kafka record timestamp, never with the
 * wall clock, so the same record is judged the same way in every run.
 *
 * @param maxSkewAheadMs how far the event time may lie ahead of the record timestamp
 * @param maxSkewBehindMs how far it may lie behind, or a negative value for no limit
 */
public record ValidationSettings(long maxSkewAheadMs, long maxSkewBehindMs)
        implements Serializable {

    public static final Duration DEFAULT_MAX_SKEW_AHEAD = Duration.ofHours(1);

    public static ValidationSettings defaults() {
        return new ValidationSettings(DEFAULT_MAX_SKEW_AHEAD.toMillis(), -1);
    }

    /** Null when the event time is within the limits, else the message for the envelope. */
    public String skewViolation(long eventTime, long recordTimestamp) {
        if (recordTimestamp < 0) {
            return null; // no record timestamp to compare with
        }
        long ahead = eventTime - recordTimestamp;
        if (ahead > maxSkewAheadMs) {
            return "event time "
                    + eventTime
                    + " is "
                    + ahead
                    + " ms ahead of the record timestamp "
                    + recordTimestamp
                    + " (validation.max-skew-ahead = "
                    + maxSkewAheadMs
                    + " ms)";
        }
        if (maxSkewBehindMs >= 0 && -ahead > maxSkewBehindMs) {
            return "event time "
                    + eventTime
                    + " is "
                    + (-ahead)
                    + " ms behind the record timestamp "
                    + recordTimestamp
                    + " (validation.max-skew-behind = "
                    + maxSkewBehindMs
                    + " ms)";
        }
        return null;
    }
}
