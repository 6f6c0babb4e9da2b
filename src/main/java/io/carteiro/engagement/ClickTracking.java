package io.carteiro.engagement;

import io.carteiro.campaigns.MessageTracking;
import io.carteiro.lists.Tracking;
import io.carteiro.unsubscribe.SignedLinks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The engagement feature's answer to {@link MessageTracking}: each trackable link of a message becomes
 * {@code <public-url>/r/<token>}, and the HTML body gets an invisible decoy link and, where the list counts
 * opens, a 1x1 image {@code /o/<token>}. A list with tracking off, a subscriber who refused tracking, a preview
 * and a test send get the targets themselves (with the campaign's UTM parameters).
 */
@ApplicationScoped
class ClickTracking implements MessageTracking {

    /** Random recipient keys of aggregate lists: 52 bits, so two recipients of a campaign almost never share one. */
    private static final long ANONYMOUS_KEYS = 1L << 52;

    @Inject
    LinkRegistry registry;

    @Inject
    ListModes modes;

    @Inject
    SignedLinks signedLinks;

    @Inject
    Clock clock;

    @ConfigProperty(name = "carteiro.public-url", defaultValue = "http://localhost:8080")
    String publicUrl;

    private volatile TrackingTokens tokens;

    TrackingTokens tokens() {
        TrackingTokens t = tokens;
        if (t == null) {
            t = new TrackingTokens(signedLinks.keys());
            tokens = t;
        }
        return t;
    }

    String base() {
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    @Override
    public MessageTracking.Campaign sending(long campaignId, List<String> urls) {
        int[] numbers = registry.register(campaignId, urls);
        return new Tracked(campaignId, numbers, targets(campaignId, urls));
    }

    @Override
    public MessageTracking.Campaign untracked(long campaignId, List<String> urls) {
        return new Tracked(campaignId, null, targets(campaignId, urls));
    }

    private String[] targets(long campaignId, List<String> urls) {
        Utm utm = QuarkusTransaction.joiningExisting().call(() -> registry.utm(campaignId));
        return urls.stream().map(utm::applyTo).toArray(String[]::new);
    }

    /** One campaign: its link numbers ({@code null}: never tracked) and targets, by template link index. */
    private final class Tracked implements MessageTracking.Campaign {
        private final long campaignId;
        private final int[] numbers;
        private final String[] targets;

        Tracked(long campaignId, int[] numbers, String[] targets) {
            this.campaignId = campaignId;
            this.numbers = numbers;
            this.targets = targets;
        }

        @Override
        public Links forMessage(long subscriberId, long listId, String recipient, boolean trackingRefused) {
            if (numbers == null || trackingRefused) {
                return untracked();
            }
            ListModes.Mode mode = modes.of(listId);
            if (mode.tracking() == Tracking.OFF) {
                return untracked();
            }
            boolean anonymous = mode.tracking() == Tracking.AGGREGATE;
            long key = anonymous ? ThreadLocalRandom.current().nextLong(1, ANONYMOUS_KEYS) : subscriberId;
            Instant sentAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            return new TrackedLinks(tokens(), base(), campaignId, listId, anonymous, key, sentAt, domainOf(recipient),
                    numbers, mode.openTracking());
        }

        @Override
        public Links untracked() {
            return new PlainLinks(targets);
        }
    }

    /** The recipient's domain as the token carries it: lower-case A-labels, or empty when it is anything else. */
    static String domainOf(String recipient) {
        int at = recipient == null ? -1 : recipient.lastIndexOf('@');
        String domain = at < 0 ? "" : recipient.substring(at + 1).toLowerCase(Locale.ROOT);
        return domain.length() <= 253 && domain.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                || c == '.' || c == '-') ? domain : "";
    }

    /** Links that lead straight to their targets; no trailer. */
    private record PlainLinks(String[] targets) implements Links {
        @Override
        public String href(int n) {
            return n >= 1 && n <= targets.length ? targets[n - 1] : "";
        }

        @Override
        public String trailer() {
            return "";
        }
    }

    /** One message's tracked links, each signed once on first use (HTML and text parts share them). */
    private static final class TrackedLinks implements Links {
        private final TrackingTokens tokens;
        private final String base;
        private final long campaignId;
        private final long listId;
        private final boolean anonymous;
        private final long key;
        private final Instant sentAt;
        private final int[] numbers;
        private final boolean opens;
        private final String[] hrefs;
        private final byte[] domainBytes;
        private byte[] clickPrefix;

        TrackedLinks(TrackingTokens tokens, String base, long campaignId, long listId, boolean anonymous, long key,
                     Instant sentAt, String domain, int[] numbers, boolean opens) {
            this.tokens = tokens;
            this.base = base;
            this.campaignId = campaignId;
            this.listId = listId;
            this.anonymous = anonymous;
            this.key = key;
            this.sentAt = sentAt;
            this.numbers = numbers;
            this.opens = opens;
            this.hrefs = new String[numbers.length];
            this.domainBytes = TrackingTokens.domainBytes(domain);
        }

        @Override
        public String href(int n) {
            if (n < 1 || n > numbers.length) {
                return "";
            }
            String href = hrefs[n - 1];
            if (href == null) {
                href = base + "/r/" + clickToken(numbers[n - 1]);
                hrefs[n - 1] = href;
            }
            return href;
        }

        @Override
        public String trailer() {
            // The decoy: an anchor with nothing in it, hidden, out of the tab order and of screen readers; no person
            // can follow it, and tools that fetch every link of a message do.
            String decoy = "<a href=\"" + base + "/r/" + clickToken(0)
                    + "\" style=\"display:none\" aria-hidden=\"true\" tabindex=\"-1\"></a>";
            if (!opens) {
                return decoy;
            }
            return decoy + "<img src=\"" + base + "/o/" + openToken() + "\" width=\"1\" height=\"1\" alt=\"\""
                    + " style=\"display:block;width:1px;height:1px;border:0\">";
        }

        private String clickToken(int linkNo) {
            if (clickPrefix == null) {
                clickPrefix = TrackingTokens.prefix(TrackingToken.Kind.CLICK, campaignId, listId, anonymous, key,
                        sentAt);
            }
            return tokens.sign(clickPrefix, linkNo, domainBytes);
        }

        private String openToken() {
            return tokens.sign(TrackingTokens.prefix(TrackingToken.Kind.OPEN, campaignId, listId, anonymous, key,
                    sentAt), 0, domainBytes);
        }
    }
}
