package io.tidemark.bench.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/** A variant's command line: {@code --name value} pairs, every name one of the defaults' keys. */
public final class VariantArgs {

    private final Map<String, String> values;

    private VariantArgs(Map<String, String> values) {
        this.values = values;
    }

    public static VariantArgs parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!name.startsWith("--") || !defaults.containsKey(name.substring(2))) {
                throw new IllegalArgumentException(
                        "unknown argument "
                                + name
                                + "; accepted: --"
                                + String.join(", --", defaults.keySet()));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            values.put(name.substring(2), args[i + 1]);
        }
        return new VariantArgs(values);
    }

    /** The value, which must not be empty. */
    public String get(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** The value, or null when empty. */
    public String optional(String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    public long number(String name) {
        try {
            return Long.parseLong(get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " is not a number: " + get(name));
        }
    }

    public int integer(String name) {
        return Math.toIntExact(number(name));
    }

    /** One of {@code allowed}, lower-cased. */
    public String oneOf(String name, String... allowed) {
        String value = get(name).toLowerCase(java.util.Locale.ROOT);
        for (String candidate : allowed) {
            if (candidate.equals(value)) {
                return value;
            }
        }
        throw new IllegalArgumentException(
                "--" + name + " must be one of " + String.join(", ", allowed) + ": " + value);
    }
}
