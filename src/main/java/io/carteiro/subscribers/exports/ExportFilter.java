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

    /** The filter, or the reason the status is not one of {@link #STATUSES}. */
    static Object of(Long listId, String q, String status) {
        Optional<String> s = Optional.ofNullable(status).map(String::strip).filter(v -> !v.isEmpty())
                .map(v -> v.toLowerCase(Locale.ROOT));
        if (s.isPresent() && !STATUSES.contains(s.get())) {
            return "status '" + status + "' is unknown (use one of " + String.join(", ", STATUSES) + ")";
        }
        return new ExportFilter(Optional.ofNullable(listId),
                Optional.ofNullable(q).map(String::strip).filter(v -> !v.isEmpty()), s);
    }
}
