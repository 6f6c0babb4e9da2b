package io.carteiro.subscribers.exports;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which subscribers an export holds: those on one list (with that subscription's status and date), and/or those
 * whose address or name starts with {@code q}, and/or with one global status. Empty parts select everything.
 */
record ExportFilter(Optional<Long> listId, Optional<String> q, Optional<String> status) {

    static final List<String> STATUSES = List.of("active", "blocklisted", "bounced", "complained");

    /** Why {@code status} cannot filter an export, if it cannot. */
    static Optional<String> problem(String status) {
        Optional<String> s = normalise(status);
        return s.isPresent() && !STATUSES.contains(s.get())
                ? Optional.of("status '" + status + "' is unknown (use one of " + String.join(", ", STATUSES) + ")")
                : Optional.empty();
    }

    /** The filter from query parameters; blank ones select everything. Check {@link #problem} first. */
    static ExportFilter of(Long listId, String q, String status) {
        return new ExportFilter(Optional.ofNullable(listId),
                Optional.ofNullable(q).map(String::strip).filter(v -> !v.isEmpty()), normalise(status));
    }

    private static Optional<String> normalise(String status) {
        return Optional.ofNullable(status).map(String::strip).filter(v -> !v.isEmpty())
                .map(v -> v.toLowerCase(Locale.ROOT));
    }
}
