package io.carteiro.campaigns;

/**
 * The signed subscriber links a campaign message carries; the public pages verify them. Implemented here with the
 * public pages' token format ({@link HmacCampaignLinks}) until their {@code SignedLinks} is wired in its place.
 */
public interface CampaignLinks {

    /** The HTTPS unsubscribe page, which also accepts the RFC 8058 one-click POST. */
    String unsubscribeUrl(long subscriberId, long listId, Long campaignId);

    /** The subscriber's preference centre. */
    String preferencesUrl(long subscriberId);

    /**
     * The {@code mailto:} unsubscribe address of the {@code List-Unsubscribe} header, on the bounce domain, with a
     * local part of at most 64 octets (RFC 5321).
     */
    String unsubscribeMailbox(long subscriberId, long listId, Long campaignId);
}
