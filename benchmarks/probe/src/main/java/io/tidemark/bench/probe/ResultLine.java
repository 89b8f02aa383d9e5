package io.tidemark.bench.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one line a variant JVM prints for the driver: {@value #PREFIX} and a JSON object with the
 * variant, the records it read, its {@link ProcessProbe.Measurement} and variant-specific figures.
 * Everything else a variant prints (logs) is ignored by the driver.
 */
public final class ResultLine {

    public static final String PREFIX = "TIDEMARK-BENCH ";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> fields = new LinkedHashMap<>();

    private ResultLine(String variant, long records, ProcessProbe.Measurement measured) {
        fields.put("variant", variant);
        fields.put("records", records);
        fields.put("wallMs", measured.wallMs());
        fields.put("cpuMs", measured.cpuMs());
        fields.put("peakRssKb", measured.peakRssKb());
    }

    public static ResultLine of(String variant, long records, ProcessProbe.Measurement measured) {
        return new ResultLine(variant, records, measured);
    }

    /** Adds a figure (a number, a string, or a map/list of them). */
    public ResultLine with(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    public String text() {
        try {
            return PREFIX + JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result line " + fields, e);
        }
    }

    /** Prints the line on stdout, where the driver looks for it. */
    public void print() {
        System.out.println(text());
        System.out.flush();
    }

    /** The fields of a line printed by {@link #print()}, or null if {@code line} is not one. */
    public static Map<String, Object> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return null;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed =
                    JSON.readValue(line.substring(PREFIX.length()), LinkedHashMap.class);
            return parsed;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a result line: " + line, e);
        }
    }
}
