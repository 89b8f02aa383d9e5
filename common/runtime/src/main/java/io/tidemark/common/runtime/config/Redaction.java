package io.tidemark.common.runtime.config;

import java.util.Locale;

/** Decides which configuration values must never be printed. */
public final class Redaction {

    public static final String MASK = "******";

    private static final String[] SECRET_MARKERS = {
        "password", "secret", "token", "jaas", "credential", "apikey", "api-key", "keystore.key"
    };

    private Redaction() {}

    public static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (String marker : SECRET_MARKERS) {
            if (lower.contains(marker)) {
                return true;
            }
        }
        return false;
    }
}
