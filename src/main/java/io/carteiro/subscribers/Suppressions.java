package io.carteiro.subscribers;

import io.carteiro.secrets.AppSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The list of addresses, domains and erased addresses that are never mailed or added again. Bounce handling, imports
 * and the subscriber forms all ask {@link #isSuppressed(EmailAddress)} before they store or send anything.
 *
 * <p>An erased address is kept only as an HMAC-SHA256 of its lower-case form, keyed with a random salt generated
 * once per installation and kept (encrypted) among the {@link AppSecrets}, so the list proves "this was erased"
 * without holding the address itself, and a database dump alone cannot test addresses against it.
 */
@ApplicationScoped
public class Suppressions {

    static final String SALT_SETTING = "erasure.salt";

    /** One entry of the list. For kind {@code erased} the value is the hex HMAC, never the address. */
    public record Entry(long id, SuppressionKind kind, String value, SuppressionReason reason, String detail,
                        java.time.Instant createdAt) {
    }

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    AppSecrets secrets;

    private volatile byte[] salt;

    public boolean isSuppressed(EmailAddress address) {
        return match(address).isPresent();
    }

    /** The entry that blocks this address: the address itself, its domain or a parent domain, or its erasure. */
    @Transactional
    public Optional<Entry> match(EmailAddress address) {
        List<String> domains = domainAndParents(address.domainKey());
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select id, kind, value, reason, detail, created_at from suppression
                        where (kind = 'address' and value = :address)
                           or (kind = 'domain' and value in (:domains))
                           or (kind = 'erased' and value = :hash)
                        order by id limit 1""")
                .setParameter("address", address.key())
                .setParameter("domains", domains)
                .setParameter("hash", erasureHash(address.key()))
                .getResultList();
        return rows.stream().findFirst().map(Suppressions::entry);
    }

    /** An entry checked and normalised by {@link #validate}, ready for {@link #insert}. */
    public record NewEntry(SuppressionKind kind, String value, SuppressionReason reason, String detail) {
    }

    /**
     * Checks and normalises an entry (lower case, A-label domain, detail at most 1000 characters); an invalid one is
     * refused with {@link IllegalArgumentException} naming what is wrong.
     */
    public NewEntry validate(SuppressionKind kind, String value, SuppressionReason reason, String detail) {
        String text = detail == null || detail.isBlank() ? null : detail.strip();
        if (text != null && text.length() > 1000) {
            throw new IllegalArgumentException("detail is longer than 1000 characters");
        }
        return new NewEntry(kind, normalise(kind, value), reason, text);
    }

    /** Stores a validated entry unless the same one is there; true when it was added. */
    @Transactional
    public boolean insert(NewEntry entry) {
        return em.createNativeQuery("""
                        insert ignore into suppression (kind, value, reason, detail, created_at)
                        values (:kind, :value, :reason, :detail, :now)""")
                .setParameter("kind", entry.kind().value())
                .setParameter("value", entry.value())
                .setParameter("reason", entry.reason().value())
                .setParameter("detail", entry.detail())
                .setParameter("now", Timestamp.from(clock.instant()))
                .executeUpdate() > 0;
    }

    /**
     * Adds an entry unless the same one is there already, and returns the stored entry. Addresses and domains are
     * normalised (lower case, A-label domain); an invalid one is refused with {@link IllegalArgumentException}.
     */
    @Transactional
    public Entry add(SuppressionKind kind, String value, SuppressionReason reason, String detail) {
        NewEntry entry = validate(kind, value, reason, truncate(detail, 1000));
        insert(entry);
        Object[] row = (Object[]) em.createNativeQuery(
                        "select id, kind, value, reason, detail, created_at from suppression where kind = :kind and value = :value")
                .setParameter("kind", kind.value()).setParameter("value", entry.value()).getSingleResult();
        return entry(row);
    }

    /** Records that this address was erased, keeping only its salted hash. */
    @Transactional
    public Entry addErased(EmailAddress address) {
        return add(SuppressionKind.ERASED, erasureHash(address.key()), SuppressionReason.ERASURE, null);
    }

    @Transactional
    public boolean remove(long id) {
        return em.createNativeQuery("delete from suppression where id = :id").setParameter("id", id)
                .executeUpdate() > 0;
    }

    /** A page of entries in id order after {@code afterId} (keyset paging). */
    @Transactional
    public List<Entry> list(long afterId, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select id, kind, value, reason, detail, created_at from suppression
                        where id > :after order by id limit :limit""")
                .setParameter("after", afterId).setParameter("limit", Math.max(1, Math.min(limit, 1000)))
                .getResultList();
        List<Entry> entries = new ArrayList<>(rows.size());
        rows.forEach(row -> entries.add(entry(row)));
        return entries;
    }

    /** HMAC-SHA256 of the lower-case address with this installation's salt, as lower-case hex. */
    public String erasureHash(String emailKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt(), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(emailKey.toLowerCase(Locale.ROOT)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * The same hash as {@link #erasureHash} for many addresses in a row: one keyed MAC reused, for bulk checks such
     * as imports. The function is not thread-safe; each thread asks for its own.
     */
    public java.util.function.UnaryOperator<String> erasureHasher() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt(), "HmacSHA256"));
            HexFormat hex = HexFormat.of();
            return key -> hex.formatHex(mac.doFinal(key.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The installation's salt: created once (the first replica to ask wins) and read back ever after. */
    private byte[] salt() {
        byte[] known = salt;
        if (known != null) {
            return known;
        }
        String stored = secrets.getOrCreate(SALT_SETTING, () -> {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            return HexFormat.of().formatHex(fresh);
        });
        salt = HexFormat.of().parseHex(stored);
        return salt;
    }

    private static String normalise(SuppressionKind kind, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + kind.value() + " to suppress is empty");
        }
        return switch (kind) {
            case ADDRESS -> EmailAddress.of(value).key();
            case DOMAIN -> domain(value.strip());
            case ERASED -> {
                String hash = value.strip().toLowerCase(Locale.ROOT);
                if (!hash.matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException("an erased entry holds a 64-digit hex hash");
                }
                yield hash;
            }
        };
    }

    private static String domain(String text) {
        try {
            String ascii = IDN.toASCII(text.startsWith("@") ? text.substring(1) : text, IDN.USE_STD3_ASCII_RULES)
                    .toLowerCase(Locale.ROOT);
            if (!ascii.contains(".") || ascii.startsWith(".") || ascii.endsWith(".")) {
                throw new IllegalArgumentException("'" + text + "' is not a domain name such as example.org");
            }
            return ascii;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid domain name", e);
        }
    }

    /** The domain and each parent that still has a dot ({@code a.b.example.org, b.example.org, example.org}). */
    public static List<String> domainAndParents(String domain) {
        List<String> names = new ArrayList<>();
        String rest = domain;
        while (rest.contains(".")) {
            names.add(rest);
            rest = rest.substring(rest.indexOf('.') + 1);
        }
        return names.isEmpty() ? List.of(domain) : names;
    }

    private static Entry entry(Object[] row) {
        return new Entry(((Number) row[0]).longValue(), SuppressionKind.parse((String) row[1]), (String) row[2],
                SuppressionReason.parse((String) row[3]), (String) row[4], toInstant(row[5]));
    }

    static java.time.Instant toInstant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof java.time.LocalDateTime ldt) {
            return ldt.toInstant(java.time.ZoneOffset.UTC);
        }
        return (java.time.Instant) value;
    }

    static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
