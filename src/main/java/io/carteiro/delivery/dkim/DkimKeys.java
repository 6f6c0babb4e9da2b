package io.carteiro.delivery.dkim;

import io.agroal.api.AgroalDataSource;
import io.carteiro.secrets.SecretBox;
import io.carteiro.subscribers.EmailAddress;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DKIM keys of the sending domains: generated here (RSA-2048 or Ed25519), kept in {@code dkim_key} with the
 * private half encrypted ({@link SecretBox}), and read by the engine (cached for a minute, so keys made on another
 * replica are picked up).
 */
@ApplicationScoped
public class DkimKeys {

    private static final Logger LOG = Logger.getLogger(DkimKeys.class);

    static final Duration CACHE = Duration.ofMinutes(1);
    private static final DateTimeFormatter SELECTOR_DATE = DateTimeFormatter.ofPattern("yyyyMM")
            .withZone(ZoneOffset.UTC);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    SecretBox box;

    private record Cached(List<DkimKey> keys, Instant loaded) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * Generates and stores a new active key for the domain. The selector defaults to
     * {@code c<yyyyMM><r|e>}; an existing selector of the domain is refused.
     */
    @Transactional
    public DkimKey generate(String domain, DkimAlgorithm algorithm, Optional<String> selector) {
        String d = validDomain(domain);
        String s = selector.filter(x -> !x.isBlank()).map(x -> x.strip().toLowerCase(Locale.ROOT))
                .orElse("c" + SELECTOR_DATE.format(clock.instant())
                        + (algorithm == DkimAlgorithm.RSA_SHA256 ? "r" : "e"));
        if (!s.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")) {
            throw new IllegalArgumentException("selector '" + s + "' is not a valid DNS label");
        }
        KeyPair pair;
        String publicKey;
        try {
            if (algorithm == DkimAlgorithm.RSA_SHA256) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                pair = generator.generateKeyPair();
                publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
            } else {
                pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                byte[] spki = pair.getPublic().getEncoded();
                publicKey = Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32,
                        spki.length));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm.tag() + " key", e);
        }
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement exists = c.prepareStatement(
                    "SELECT COUNT(*) FROM dkim_key WHERE domain = ? AND selector = ?")) {
                exists.setString(1, d);
                exists.setString(2, s);
                try (ResultSet r = exists.executeQuery()) {
                    r.next();
                    if (r.getLong(1) > 0) {
                        throw new IllegalArgumentException("domain " + d + " already has a key with selector " + s);
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO dkim_key (domain, selector, algorithm, private_key, public_key, active, created_at)
                    VALUES (?, ?, ?, ?, ?, TRUE, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, d);
                insert.setString(2, s);
                insert.setString(3, algorithm.tag());
                insert.setString(4, box.seal(Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()),
                        context(d, s)));
                insert.setString(5, publicKey);
                insert.setTimestamp(6, Timestamp.from(now));
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    cache.remove(d);
                    return new DkimKey(keys.getLong(1), d, s, algorithm, pair.getPrivate(), publicKey, true, now);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not store the DKIM key of " + d, e);
        }
    }

    /** Stops signing with a key (it stays listed, so its DNS record can be removed later). */
    @Transactional
    public boolean deactivate(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE dkim_key SET active = FALSE WHERE id = ?")) {
            s.setLong(1, id);
            cache.clear();
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("could not deactivate DKIM key " + id, e);
        }
    }

    /** The keys to sign mail from this domain with. */
    public List<DkimKey> active(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Cached cached = cache.get(d);
        if (cached == null || cached.loaded().plus(CACHE).isBefore(now)) {
            cached = new Cached(load("WHERE domain = ? AND active", d), now);
            cache.put(d, cached);
        }
        return cached.keys();
    }

    /** Every key, newest first, for the settings page. */
    public List<DkimKey> all() {
        return load("", null);
    }

    private List<DkimKey> load(String where, String domain) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT id, domain, selector, algorithm, private_key,"
                     + " public_key, active, created_at FROM dkim_key " + where + " ORDER BY id DESC")) {
            if (domain != null) {
                s.setString(1, domain);
            }
            List<DkimKey> keys = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    DkimAlgorithm algorithm = DkimAlgorithm.ofTag(r.getString(4));
                    keys.add(new DkimKey(r.getLong(1), r.getString(2), r.getString(3), algorithm,
                            privateKey(algorithm, box.open(r.getString(5), context(r.getString(2), r.getString(3)))),
                            r.getString(6), r.getBoolean(7), r.getTimestamp(8).toInstant()));
                }
            }
            return List.copyOf(keys);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read DKIM keys", e);
        }
    }

    /**
     * Encrypts, at every start, the private keys still in plain text (stored before keys were encrypted) or under an
     * older secrets key, in one transaction.
     */
    void sealAtStart(@Observes StartupEvent start) {
        int sealed = QuarkusTransaction.requiringNew().call(() -> {
            int n = 0;
            try (Connection c = dataSource.getConnection();
                 PreparedStatement s = c.prepareStatement(
                         "SELECT id, domain, selector, private_key FROM dkim_key ORDER BY id FOR UPDATE");
                 PreparedStatement update = c.prepareStatement("UPDATE dkim_key SET private_key = ? WHERE id = ?");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String context = context(r.getString(2), r.getString(3));
                    if (!box.isCurrent(r.getString(4))) {
                        update.setString(1, box.seal(box.open(r.getString(4), context), context));
                        update.setLong(2, r.getLong(1));
                        update.executeUpdate();
                        n++;
                    }
                }
            }
            return n;
        });
        if (sealed > 0) {
            LOG.infof("Encrypted %d DKIM private key(s) under the current secrets key", sealed);
        }
    }

    /** What a private key's ciphertext is bound to: its own domain and selector. */
    private static String context(String domain, String selector) {
        return "dkim_key/" + domain + "/" + selector;
    }

    private static PrivateKey privateKey(DkimAlgorithm algorithm, String base64) {
        try {
            KeyFactory factory = KeyFactory.getInstance(algorithm == DkimAlgorithm.RSA_SHA256 ? "RSA" : "Ed25519");
            return factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored DKIM key cannot be read", e);
        }
    }

    static String validDomain(String domain) {
        EmailAddress.Parsed parsed = EmailAddress.parse("postmaster@" + (domain == null ? "" : domain.strip()));
        if (parsed instanceof EmailAddress.Invalid invalid) {
            throw new IllegalArgumentException("'" + domain + "' is not a domain: " + invalid.reason());
        }
        return ((EmailAddress.Valid) parsed).address().domainKey();
    }
}
