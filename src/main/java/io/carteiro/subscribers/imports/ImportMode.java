package io.carteiro.subscribers.imports;

import java.util.Locale;
import java.util.Optional;

/** What an import does with each address: subscribe it to the list, or blocklist it everywhere. */
enum ImportMode {
    SUBSCRIBE, BLOCKLIST;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<ImportMode> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(SUBSCRIBE);
        }
        for (ImportMode mode : values()) {
            if (mode.dbValue().equalsIgnoreCase(text.strip())) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
