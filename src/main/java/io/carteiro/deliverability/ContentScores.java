package io.carteiro.deliverability;

import io.carteiro.campaigns.CampaignFacts;
import io.carteiro.delivery.SendingIdentity;
import io.carteiro.delivery.UnsignedMessage;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The content score of a campaign (issue 17.4): its message as the sample subscriber would get it, written as the
 * engine writes it (unsigned: rspamd would look the DKIM key up in a DNS it may not share with the exchangers, and the
 * domain check already says whether the key is published), scored by the configured rspamd.
 */
@ApplicationScoped
class ContentScores {

    private final CampaignFacts campaigns;
    private final RspamdClient rspamd;
    private final SendingIdentity identity;
    private final DeliverabilityConfig config;
    private final Clock clock;

    ContentScores(CampaignFacts campaigns, RspamdClient rspamd, SendingIdentity identity,
                  DeliverabilityConfig config, Clock clock) {
        this.campaigns = campaigns;
        this.rspamd = rspamd;
        this.identity = identity;
        this.config = config;
        this.clock = clock;
    }

    /** The campaign's score, or empty when there is no such campaign. */
    Optional<ContentScore> of(long campaignId) {
        if (!rspamd.configured()) {
            return campaigns.of(campaignId).map(f -> new ContentScore.Off());
        }
        Optional<CampaignFacts.Facts> facts = campaigns.of(campaignId);
        if (facts.isEmpty()) {
            return Optional.empty();
        }
        CampaignFacts.Facts f = facts.get();
        if (f.sample().isEmpty()) {
            return Optional.of(ContentScore.Unavailable.because("the campaign's content does not render; fix it in "
                    + "the editor first"));
        }
        byte[] message;
        try {
            String messageId = "<preview." + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + "@"
                    + identity.ehloName() + ">";
            message = UnsignedMessage.bytes(f.sample().get(), f.sampleRecipient(), messageId, clock.instant());
        } catch (IllegalArgumentException e) {
            return Optional.of(ContentScore.Unavailable.because("the message cannot be written: "
                    + Texts.shorten(e.getMessage(), 200)));
        }
        // the first configured sending address, as the exchanger would see it; none configured: rspamd checks no IP
        Optional<String> ip = config.sendingAddresses().orElse(List.of()).stream().map(String::strip)
                .filter(a -> !a.isEmpty()).findFirst();
        return Optional.of(rspamd.check(message, new RspamdClient.Envelope("bounces@" + identity.bounceDomain(),
                f.sampleRecipient(), identity.ehloName(), ip)));
    }
}
