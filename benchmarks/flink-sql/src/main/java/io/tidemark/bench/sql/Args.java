package io.tidemark.bench.sql;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} pairs of a command line; every name must be one of the defaults' keys. */
final class Args {

    private final Map<String, String> values;

    private Args(Map<String, String> values) {
        this.values = values;
    }

    static Args parse(String[] args, Map<String, String> defaults) {
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
        return new Args(values);
    }

    /** The value, which must not be empty. */
    String get(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** The value, or null when empty. */
    String optional(String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    long number(String name) {
        try {
            return Long.parseLong(get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " is not a number: " + get(name));
        }
    }

    /** One of {@code allowed}, lower-cased. */
    String oneOf(String name, String... allowed) {
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
