package io.carteiro.subscribers.imports;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads the suppression list for a batch of addresses in one query: suppressed addresses and domains, and erased
 * addresses, whose salted hashes come from {@link io.carteiro.subscribers.Suppressions#erasureHash}.
 */
@ApplicationScoped
class Suppressions {

    @Inject
    io.carteiro.subscribers.Suppressions suppressionList;

    /**
     * The keys among {@code candidates} that must not be imported, in one query. Erased addresses are looked up by
     * their salted hash only when the list holds any erased entry, so an installation without erasures pays no HMAC
     * per row; otherwise one keyed MAC serves the whole batch.
     */
    Set<String> suppressed(Connection connection, Collection<Candidate> candidates) throws SQLException {
        Set<String> result = new HashSet<>();
        if (candidates.isEmpty()) {
            return result;
        }
        List<Candidate> list = List.copyOf(candidates);
        List<String> batchDomains = list.stream().map(Candidate::domainKey).distinct()
                .flatMap(d -> io.carteiro.subscribers.Suppressions.domainAndParents(d).stream()).distinct().toList();
        UnaryOperator<String> hasher = suppressionList.erasureHasher();
        boolean erasures = anyErased(connection);
        String marks = SqlLists.marks(list.size());
        String sql = "SELECT kind, value FROM suppression WHERE (kind = 'address' AND value IN (" + marks + "))"
                + " OR (kind = 'domain' AND value IN (" + SqlLists.marks(batchDomains.size()) + "))"
                + (erasures ? " OR (kind = 'erased' AND value IN (" + marks + "))" : "");
        Map<String, String> byHash = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int p = 1;
            for (Candidate c : list) {
                statement.setString(p++, c.key());
            }
            for (String domain : batchDomains) {
                statement.setString(p++, domain);
            }
            if (erasures) {
                for (Candidate c : list) {
                    String hash = hasher.apply(c.key());
                    byHash.put(hash, c.key());
                    statement.setString(p++, hash);
                }
            }
            Set<String> domains = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String value = rows.getString(2);
                    switch (rows.getString(1)) {
                        case "address" -> result.add(value);
                        case "domain" -> domains.add(value);
                        default -> result.add(byHash.get(value));
                    }
                }
            }
            for (Candidate c : list) {
                if (io.carteiro.subscribers.Suppressions.domainAndParents(c.domainKey()).stream()
                        .anyMatch(domains::contains)) {
                    result.add(c.key());
                }
            }
        }
        return result;
    }

    private static boolean anyErased(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT 1 FROM suppression WHERE kind = 'erased' LIMIT 1");
             ResultSet r = s.executeQuery()) {
            return r.next();
        }
    }

    /** An address to check: its lower-case key and lower-case domain. */
    record Candidate(String key, String domainKey) {
    }
}
