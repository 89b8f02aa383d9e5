package io.tidemark.jobs.sessionization.functions;

import io.tidemark.common.schemas.AvroJson;

/**
 * Session ids derived from data only: {@code <userId>@<start as ISO-8601 UTC with millis>}, e.g.
 * {@code u-1@2026-11-01T10:00:00.000Z}. Readable, unique per user and start, and the same in every
 * run — so the output topic is an upsert stream whose keys never depend on timing.
 */
public final class SessionIds {

    private SessionIds() {}

    public static String of(String userId, long startMillis) {
        return userId + "@" + AvroJson.formatInstant(startMillis);
    }
}
