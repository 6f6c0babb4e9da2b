package io.carteiro.unsubscribe;

import io.carteiro.campaigns.CampaignLinks;
import io.carteiro.delivery.SendingIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/** The links of campaign messages, signed with this package's link keys so its pages can verify them. */
@ApplicationScoped
class MessageLinks implements CampaignLinks {

    @Inject
    SignedLinks links;

    @Inject
    SendingIdentity identity;

    @Override
    public String unsubscribeUrl(long subscriberId, long listId, Long campaignId) {
        return links.oneClickUrl(subscriberId, listId, campaignId);
    }

    @Override
    public String preferencesUrl(long subscriberId) {
        return links.preferencesUrl(subscriberId);
    }

    @Override
    public String unsubscribeMailbox(long subscriberId, long listId, Long campaignId) {
        return links.signer().mailbox(subscriberId, listId, campaignId) + "@" + identity.bounceDomain();
    }

    @Override
    public Optional<MailboxOwner> unsubscribeMailboxOwner(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String a = address.strip();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        int at = a.lastIndexOf('@');
        return links.signer().checkMailbox(at < 0 ? a : a.substring(0, at))
                .map(ids -> new MailboxOwner(ids[0], ids[1], ids[2]));
    }
}
