package io.carteiro.subscribers.imports;

import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Reads the suppression list for a batch of addresses: suppressed addresses and domains, and erased addresses, which
 * are kept only as the hex HMAC-SHA256 of the lower-case address keyed with the hex-decoded {@code erasure.salt}
 * setting (a random 32-byte value created on first use).
 */
@ApplicationScoped
class Suppressions {

    static final String SALT_SETTING = "erasure.salt";

    private volatile byte[] salt;

    /** The keys among {@code candidates} that must not be imported, in one query. */
    Set<String> suppressed(Connection connection, Collection<Candidate> candidates) throws SQLException {
        Set<String> result = new HashSet<>();
        if (candidates.isEmpty()) {
            return result;
        }
        byte[] key = salt(connection);
        List<Candidate> list = List.copyOf(candidates);
        List<String> batchDomains = list.stream().map(Candidate::domainKey).distinct().toList();
        String marks = SqlLists.marks(list.size());
        String sql = "SELECT kind, value FROM suppression WHERE (kind = 'address' AND value IN (" + marks + "))"
                + " OR (kind = 'domain' AND value IN (" + SqlLists.marks(batchDomains.size()) + "))"
                + " OR (kind = 'erased' AND value IN (" + marks + "))";
        Mac mac = hmac(key);
        java.util.Map<String, String> byHash = new java.util.HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int p = 1;
            for (Candidate c : list) {
                statement.setString(p++, c.key());
            }
            for (String domain : batchDomains) {
                statement.setString(p++, domain);
            }
            for (Candidate c : list) {
                String hash = HexFormat.of().formatHex(mac.doFinal(c.key().getBytes(StandardCharsets.UTF_8)));
                byHash.put(hash, c.key());
                statement.setString(p++, hash);
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
                if (domains.contains(c.domainKey())) {
                    result.add(c.key());
                }
            }
        }
        return result;
    }

    /** An address to check: its lower-case key and lower-case domain. */
    record Candidate(String key, String domainKey) {
    }

    static String erasureHash(byte[] salt, String addressKey) {
        return HexFormat.of().formatHex(hmac(salt).doFinal(addressKey.getBytes(StandardCharsets.UTF_8)));
    }

    private static Mac hmac(byte[] salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private byte[] salt(Connection connection) throws SQLException {
        byte[] known = salt;
        if (known != null) {
            return known;
        }
        String hex = readSalt(connection);
        if (hex == null) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT IGNORE INTO app_setting (name, value) VALUES (?, ?)")) {
                insert.setString(1, SALT_SETTING);
                insert.setString(2, HexFormat.of().formatHex(fresh));
                insert.executeUpdate();
            }
            hex = readSalt(connection);
        }
        salt = HexFormat.of().parseHex(hex.strip());
        return salt;
    }

    private static String readSalt(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT value FROM app_setting WHERE name = ?")) {
            select.setString(1, SALT_SETTING);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }
}
