package io.carteiro.unsubscribe;

import io.carteiro.secrets.AppSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The links other features put into messages (unsubscribe, RFC 8058 one-click, preference centre, double opt-in
 * confirmation): absolute URLs on {@code carteiro.public-url} carrying HMAC-signed tokens that this package's pages
 * verify.
 */
@ApplicationScoped
public class SignedLinks {

    @Inject
    LinksConfig config;

    /** The {@link AppSecrets} name of the key generated when none is configured: {@code <key id>:<hex key>}. */
    static final String GENERATED_LINK_KEY = "links.generated-key";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AppSecrets secrets;

    @Inject
    Clock clock;

    @ConfigProperty(name = "carteiro.public-url", defaultValue = "http://localhost:8080")
    String publicUrl;

    private volatile LinkSigner signer;

    /** The page a subscriber opens from a message's footer to leave this list; GET shows a button, POST leaves. */
    public String unsubscribeUrl(long subscriberId, long listId, Long campaignId) {
        return base() + "/u/" + signer().issue(LinkToken.Purpose.UNSUBSCRIBE, subscriberId, listId, campaignId,
                config.unsubscribeLifetime());
    }

    /**
     * The HTTPS URL for the {@code List-Unsubscribe} header (with {@code List-Unsubscribe-Post:
     * List-Unsubscribe=One-Click}): the same URL as {@link #unsubscribeUrl}, which also accepts the RFC 8058 POST.
     */
    public String oneClickUrl(long subscriberId, long listId, Long campaignId) {
        return unsubscribeUrl(subscriberId, listId, campaignId);
    }

    /** The subscriber's preference centre (all their lists, name, data download, erasure). */
    public String preferencesUrl(long subscriberId) {
        return base() + "/p/" + signer().issue(LinkToken.Purpose.PREFERENCES, subscriberId, 0, null,
                config.preferencesLifetime());
    }

    /** The double opt-in confirmation link; expires after {@code carteiro.links.confirm-lifetime}. */
    public String confirmUrl(long subscriberId, long listId) {
        return base() + "/confirm/" + signer().issue(LinkToken.Purpose.CONFIRM, subscriberId, listId, null,
                config.confirmLifetime());
    }

    /** The keys links are signed with, for features that sign tokens of their own format under the same keys. */
    public LinkKeys keys() {
        return signer();
    }

    /** The link that downloads the subscriber's data; mailed to them, valid for the data-request lifetime. */
    String downloadUrl(long subscriberId) {
        return base() + "/p/" + signer().issue(LinkToken.Purpose.DOWNLOAD, subscriberId, 0, null,
                config.dataRequestLifetime()) + "/data";
    }

    /** The link that opens the erasure confirmation; mailed to the subscriber, valid for the data-request lifetime. */
    String eraseUrl(long subscriberId) {
        return base() + "/p/" + signer().issue(LinkToken.Purpose.ERASE, subscriberId, 0, null,
                config.dataRequestLifetime()) + "/erase";
    }

    LinkSigner.Checked check(String token, LinkToken.Purpose expected) {
        return signer().check(token, expected);
    }

    LinkSigner signer() {
        LinkSigner s = signer;
        if (s == null) {
            synchronized (this) {
                if (signer == null) {
                    signer = createSigner();
                }
                s = signer;
            }
        }
        return s;
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private String base() {
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    private LinkSigner createSigner() {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        config.keys().forEach((id, secret) -> keys.put(id, secret.getBytes(StandardCharsets.UTF_8)));
        // The generated key is kept verifying after keys are configured, so links sent before still work.
        String generatedId = null;
        Optional<String> generated = config.keys().isEmpty()
                ? Optional.of(secrets.getOrCreate(GENERATED_LINK_KEY, () -> "g" + randomHex(4) + ":" + randomHex(32)))
                : secrets.find(GENERATED_LINK_KEY);
        if (generated.isPresent()) {
            int colon = generated.get().indexOf(':');
            generatedId = generated.get().substring(0, colon);
            keys.putIfAbsent(generatedId, HexFormat.of().parseHex(generated.get().substring(colon + 1)));
        }
        String current;
        if (config.currentKey().isPresent()) {
            current = config.currentKey().get();
        } else if (config.keys().size() == 1) {
            current = config.keys().keySet().iterator().next();
        } else if (config.keys().isEmpty()) {
            current = generatedId;
        } else {
            throw new IllegalStateException("carteiro.links.current-key must name one of the configured link keys "
                    + config.keys().keySet());
        }
        return new LinkSigner(keys, current, clock);
    }
}
