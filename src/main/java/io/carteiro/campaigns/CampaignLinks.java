package io.carteiro.campaigns;

import java.util.Optional;

/**
 * The signed subscriber links a campaign message carries. Implemented by the subscriber pages, which verify the URLs;
 * the bounce listener verifies the {@code mailto:} address with {@link #unsubscribeMailboxOwner}.
 */
public interface CampaignLinks {

    /** Whom a genuine {@code mailto:} unsubscribe address names; campaign 0 when the message had none. */
    record MailboxOwner(long subscriberId, long listId, long campaignId) {
    }

    /** The HTTPS unsubscribe page, which also accepts the RFC 8058 one-click POST. */
    String unsubscribeUrl(long subscriberId, long listId, Long campaignId);

    /** The subscriber's preference centre. */
    String preferencesUrl(long subscriberId);

    /**
     * The {@code mailto:} unsubscribe address of the {@code List-Unsubscribe} header, on the bounce domain, with a
     * local part of at most 64 octets (RFC 5321).
     */
    String unsubscribeMailbox(long subscriberId, long listId, Long campaignId);

    /** The owner of a genuine {@link #unsubscribeMailbox} address (any domain), or empty for anything else. */
    Optional<MailboxOwner> unsubscribeMailboxOwner(String address);
}
