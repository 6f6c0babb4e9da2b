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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The list of addresses, domains and erased addresses that are never mailed or added again, and the one gate that
 * decides it: an address is suppressed when the address itself, its domain or any parent domain is on the list, or
 * when it was erased. Every door asks here before it stores or sends: one address ({@link #match}), a batch of
 * addresses in one query ({@link #suppressedAmong}, imports) and stored subscribers inside a set-based statement
 * ({@link #notSuppressedSql}, campaign queueing). The only code that reads or writes {@code suppression}.
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
        return store(validate(kind, value, reason, truncate(detail, 1000)));
    }

    /**
     * Suppresses the address of a stored subscriber (the complaint rule), in one statement and the caller's
     * transaction; true when the entry was added, false when it was there already or there is no such subscriber.
     */
    @Transactional
    public boolean suppressSubscriber(long subscriberId, SuppressionReason reason, String detail) {
        return em.createNativeQuery("""
                        insert ignore into suppression (kind, value, reason, detail, created_at)
                        select 'address', email_key, :reason, :detail, :now from subscriber where id = :id""")
                .setParameter("reason", reason.value()).setParameter("detail", truncate(detail, 1000))
                .setParameter("now", Timestamp.from(clock.instant())).setParameter("id", subscriberId)
                .executeUpdate() > 0;
    }

    /** Records that this address was erased, keeping only its salted hash. */
    @Transactional
    public Entry addErased(EmailAddress address) {
        return add(SuppressionKind.ERASED, erasureHash(address.key()), SuppressionReason.ERASURE, null);
    }

    /** Stores a validated entry unless the same one is there, and returns the stored entry. */
    @Transactional
    public Entry store(NewEntry entry) {
        insert(entry);
        Object[] row = (Object[]) em.createNativeQuery(
                        "select id, kind, value, reason, detail, created_at from suppression where kind = :kind and value = :value")
                .setParameter("kind", entry.kind().value()).setParameter("value", entry.value()).getSingleResult();
        return entry(row);
    }

    /** Removes any entry, erasure hashes included (the API's delete). */
    @Transactional
    public boolean remove(long id) {
        return em.createNativeQuery("delete from suppression where id = :id").setParameter("id", id)
                .executeUpdate() > 0;
    }

    /** Removes an address or domain entry; erasure hashes are left alone (the suppression page's delete). */
    @Transactional
    public boolean removeAddressOrDomain(long id) {
        return em.createNativeQuery("delete from suppression where id = :id and kind in ('address', 'domain')")
                .setParameter("id", id).executeUpdate() > 0;
    }

    /**
     * Address and domain entries (never erasure hashes), newest first, whose value contains {@code text} (all when it
     * is blank); at most {@code limit}, capped at 100,000.
     */
    @Transactional
    public List<Entry> search(String text, int limit) {
        String q = text == null || text.isBlank() ? null : "%" + likeEscaped(text.strip().toLowerCase(Locale.ROOT)) + "%";
        var query = em.createNativeQuery("select id, kind, value, reason, detail, created_at from suppression "
                + "where kind in ('address', 'domain')" + (q == null ? "" : " and value like :q")
                + " order by id desc limit :limit").setParameter("limit", Math.max(1, Math.min(limit, 100_000)));
        if (q != null) {
            query.setParameter("q", q);
        }
        List<Entry> entries = new ArrayList<>();
        for (Object row : query.getResultList()) {
            entries.add(entry((Object[]) row));
        }
        return entries;
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

    /** An address to check in bulk: its lower-case key and its lower-case (A-label) domain. */
    public record Candidate(String key, String domainKey) {
    }

    /**
     * The keys among {@code candidates} that are suppressed, with one query on the caller's connection (the hot path
     * of imports). Erased addresses are looked up by their salted hash only when the list holds any erased entry, so
     * an installation without erasures pays no HMAC per row; otherwise one keyed MAC serves the whole batch.
     */
    public Set<String> suppressedAmong(Connection connection, Collection<Candidate> candidates) throws SQLException {
        Set<String> result = new HashSet<>();
        if (candidates.isEmpty()) {
            return result;
        }
        List<Candidate> list = List.copyOf(candidates);
        List<String> batchDomains = list.stream().map(Candidate::domainKey).distinct()
                .flatMap(d -> domainAndParents(d).stream()).distinct().toList();
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
                UnaryOperator<String> hasher = erasureHasher();
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
                    switch (SuppressionKind.parse(rows.getString(1))) {
                        case ADDRESS -> result.add(value);
                        case DOMAIN -> domains.add(value);
                        case ERASED -> result.add(byHash.get(value));
                    }
                }
            }
            for (Candidate c : list) {
                if (domainAndParents(c.domainKey()).stream().anyMatch(domains::contains)) {
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

    private static final Pattern SQL_ALIAS = Pattern.compile("[a-z][a-z0-9_]{0,29}");

    /**
     * A condition for a set-based statement over stored subscribers: true when the {@code subscriber} row under
     * {@code alias} is suppressed neither by its address nor by its domain or any parent domain, the meaning of
     * {@link #match}. It runs in the caller's transaction and reads now which label counts the domain entries have,
     * so that it compares one suffix per count in use ({@code SUBSTRING_INDEX(domain, '.', -n)}, each an index
     * lookup) and a parent of any depth is found. Erased addresses need no check here: erasure deletes the subscriber
     * in the transaction that stores the hash, and every door that adds a subscriber asks this gate first.
     */
    public String notSuppressedSql(String alias) {
        if (!SQL_ALIAS.matcher(alias).matches()) {
            throw new IllegalArgumentException("not an SQL alias: " + alias);
        }
        StringBuilder sql = new StringBuilder("NOT EXISTS (SELECT 1 FROM suppression sx WHERE sx.kind = 'address' AND sx.value = ")
                .append(alias).append(".email_key)");
        List<Integer> depths = domainEntryDepths();
        if (!depths.isEmpty()) {
            sql.append(" AND NOT EXISTS (SELECT 1 FROM suppression sx WHERE sx.kind = 'domain' AND sx.value IN (")
                    .append(alias).append(".domain");
            for (int depth : depths) {
                sql.append(", SUBSTRING_INDEX(").append(alias).append(".domain, '.', -").append(depth).append(')');
            }
            sql.append("))");
        }
        return sql.toString();
    }

    /** The label counts of the stored domain entries ({@code example.org} has 2), from the (kind, value) index. */
    private List<Integer> domainEntryDepths() {
        @SuppressWarnings("unchecked")
        List<Number> depths = em.createNativeQuery("""
                        select distinct length(value) - length(replace(value, '.', '')) + 1 from suppression
                        where kind = 'domain' order by 1""").getResultList();
        return depths.stream().map(Number::intValue).toList();
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
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
