package io.tidemark.jobs.revenue.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tidemark.common.schemas.AvroJson;
import java.util.List;

/**
 * The unambiguous window key of a (category, region, currency) group: a JSON array, so values
 * containing any separator never collide.
 */
public final class GroupKey {

    private GroupKey() {}

    public static String of(String category, String region, String currency) {
        try {
            return AvroJson.MAPPER.writeValueAsString(List.of(category, region, currency));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
