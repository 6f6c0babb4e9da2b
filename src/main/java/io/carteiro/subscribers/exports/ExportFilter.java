package io.carteiro.subscribers.exports;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which subscribers an export holds: those on one list (with that subscription's status and date), and/or those
 * whose address or name starts with {@code q}, and/or with one global status. The admin's search page narrows
 * further with its own fields (address prefix, name prefix, one attribute's value), so its export button writes
 * exactly the subscribers the page found. Empty parts select everything.
 */
record ExportFilter(Optional<Long> listId, Optional<String> q, Optional<String> status, Optional<String> emailPrefix,
                    Optional<String> namePrefix, Optional<Attribute> attribute) {

    static final List<String> STATUSES = List.of("active", "blocklisted", "bounced", "complained");

    /** One attribute that must hold one value, as the search page's "key:value" field says. */
    record Attribute(String key, String value) {
    }

    /** Why {@code status} cannot filter an export, if it cannot. */
    static Optional<String> problem(String status) {
        Optional<String> s = normalise(status);
        return s.isPresent() && !STATUSES.contains(s.get())
                ? Optional.of("status '" + status + "' is unknown (use one of " + String.join(", ", STATUSES) + ")")
                : Optional.empty();
    }

    /** The filter from query parameters; blank ones select everything. Check {@link #problem} first. */
    static ExportFilter of(Long listId, String q, String status) {
        return new ExportFilter(Optional.ofNullable(listId), text(q), normalise(status), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** This filter narrowed by the search page's address prefix, name prefix and attribute (each may be empty). */
    ExportFilter narrowed(String email, String name, Attribute attr) {
        return new ExportFilter(listId, q, status, text(email).map(e -> e.toLowerCase(Locale.ROOT)), text(name),
                Optional.ofNullable(attr));
    }

    private static Optional<String> text(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static Optional<String> normalise(String status) {
        return text(status).map(v -> v.toLowerCase(Locale.ROOT));
    }
}
