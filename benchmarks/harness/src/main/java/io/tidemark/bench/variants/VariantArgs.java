package io.tidemark.bench.variants;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs of a variant's command line; every name must be known. */
final class VariantArgs {

    private final Map<String, String> values = new HashMap<>();

    VariantArgs(String[] args, Map<String, String> defaults) {
        values.putAll(defaults);
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
    }

    String get(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** The value, or null when it is empty. */
    String optional(String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    int integer(String name) {
        return Integer.parseInt(get(name));
    }
}
