package io.carteiro.delivery.dkim;

import io.carteiro.delivery.DeliveryConfig;
import io.carteiro.delivery.mx.MxResolverProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.net.UnknownHostException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Whether a key's public half is published where receivers look for it ({@code <selector>._domainkey.<domain>},
 * RFC 6376 §3.6.2), asked of the engine's resolvers. A key is not signed with until its record is seen (a signature
 * no receiver can verify only fails), which also lets a new key be published before it replaces the old one.
 */
@ApplicationScoped
public class DkimPublication {

    /** What the DNS says about one key. */
    public sealed interface State {
        /** A record at the key's name carries exactly this public key. */
        record Published() implements State {
        }

        /** No key record at the name (NXDOMAIN, no TXT, or only TXT that is not a DKIM key record). */
        record Missing(String reason) implements State {
        }

        /** Key records are there but none carries this key. */
        record Differs(String reason) implements State {
        }

        /** The DNS could not be asked (timeout, SERVFAIL): nothing is known either way. */
        record Unavailable(String reason) implements State {
        }
    }

    private static final ExecutorService COMPLETIONS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "dkim-dns");
        thread.setDaemon(true);
        return thread;
    });

    private final Resolver resolver;

    @Inject
    DkimPublication(DeliveryConfig config) throws UnknownHostException {
        this(MxResolverProducer.resolver(config));
    }

    public DkimPublication(Resolver resolver) {
        this.resolver = resolver;
    }

    /** Looks the key's record up and compares it with the key. */
    public State check(DkimKey key) {
        Message response;
        try {
            Name name = Name.fromString(key.dnsName() + ".");
            response = resolver.sendAsync(Message.newQuery(Record.newRecord(name, Type.TXT, DClass.IN)), COMPLETIONS)
                    .toCompletableFuture().get(resolver.getTimeout().toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new State.Unavailable("interrupted");
        } catch (Exception e) {
            return new State.Unavailable("TXT lookup of " + key.dnsName() + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        if (response.getRcode() == Rcode.NXDOMAIN) {
            return new State.Missing(key.dnsName() + " does not exist");
        }
        if (response.getRcode() != Rcode.NOERROR) {
            return new State.Unavailable("TXT lookup of " + key.dnsName() + " answered "
                    + Rcode.string(response.getRcode()));
        }
        List<String> texts = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof TXTRecord txt) {
                texts.add(String.join("", txt.getStrings()));
            }
        }
        return compare(key, texts);
    }

    /** Compares the TXT records found at the key's name with the key (pure, for the checker and the tests). */
    public static State compare(DkimKey key, List<String> txtRecords) {
        List<String> problems = new ArrayList<>();
        int keyRecords = 0;
        for (String txt : txtRecords) {
            Map<String, String> tags = tags(txt);
            if (tags == null || !tags.containsKey("p")) {
                continue;
            }
            keyRecords++;
            String version = tags.get("v");
            String type = tags.getOrDefault("k", "rsa").toLowerCase(Locale.ROOT);
            String p = tags.get("p").replaceAll("\\s", "");
            if (version != null && !version.equals("DKIM1")) {
                problems.add("v=" + version + " is not DKIM1");
            } else if (p.isEmpty()) {
                problems.add("p= is empty (the key is revoked)");
            } else if (!type.equals(key.algorithm().keyType())) {
                problems.add("k=" + type + " but the key is " + key.algorithm().keyType());
            } else if (!p.equals(key.publicKey())) {
                problems.add("p=" + shorten(p) + " is another key than p=" + shorten(key.publicKey()));
            } else {
                return new State.Published();
            }
        }
        if (keyRecords == 0) {
            return new State.Missing("no DKIM key record at " + key.dnsName());
        }
        return new State.Differs("the record at " + key.dnsName() + " does not match this key: "
                + String.join("; ", problems));
    }

    /** The size of an RSA key in bits (from its p= value); 256 for Ed25519, whose size is fixed. */
    public static int keyBits(DkimKey key) {
        if (key.algorithm() == DkimAlgorithm.ED25519_SHA256) {
            return 256;
        }
        try {
            RSAPublicKey rsa = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(key.publicKey())));
            return rsa.getModulus().bitLength();
        } catch (Exception e) {
            return 0;
        }
    }

    /** The tag=value list of RFC 6376 §3.2, or null when the text is not one. */
    private static Map<String, String> tags(String txt) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : txt.split(";")) {
            String field = part.strip();
            if (field.isEmpty()) {
                continue;
            }
            int eq = field.indexOf('=');
            if (eq <= 0) {
                return null;
            }
            tags.putIfAbsent(field.substring(0, eq).strip().toLowerCase(Locale.ROOT), field.substring(eq + 1).strip());
        }
        return tags;
    }

    private static String shorten(String base64) {
        return base64.length() <= 16 ? base64 : base64.substring(0, 8) + "…" + base64.substring(base64.length() - 8);
    }
}
