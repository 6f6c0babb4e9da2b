package io.carteiro.ops;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings read before Quarkus starts (the embedded database must run before the datasource is created), so they
 * come from system properties or environment variables only: {@code carteiro.embedded-db.port} or
 * {@code CARTEIRO_EMBEDDED_DB_PORT}; {@code application.properties} is not read yet.
 */
public final class StartupSettings {

    private StartupSettings() {
    }

    /** The system property, else the environment variable of the usual form; blank counts as unset. */
    public static Optional<String> get(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        }
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    static int integer(String key, int fallback) {
        String value = get(key).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
        }
    }

    static Duration duration(String key, Duration fallback) {
        String value = get(key).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            return Duration.parse(value.matches("\\d+(\\.\\d+)?[smhSMH]") ? "PT" + value : value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be a duration such as PT5S or 5s, not '" + value + "'");
        }
    }

    static boolean bool(String key, boolean fallback) {
        String value = get(key).orElse(null);
        if (value == null) {
            return fallback;
        }
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }
}
