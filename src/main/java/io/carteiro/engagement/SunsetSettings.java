package io.carteiro.engagement;

import io.carteiro.campaigns.CampaignSends;
import io.carteiro.lists.ListService;
import io.carteiro.lists.MailingList;
import io.carteiro.lists.Sunset;
import io.carteiro.lists.Tracking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Optional;

/**
 * Checks and saves a list's sunset rule (kept on the list, by the lists feature): the rule needs per-subscriber
 * tracking, since nobody's engagement is known otherwise, and a re-engagement campaign that can be sent.
 */
@ApplicationScoped
class SunsetSettings {

    /** What a save came to. */
    sealed interface Outcome permits Saved, NoList, Refused {
    }

    record Saved(Sunset sunset) implements Outcome {
    }

    record NoList() implements Outcome {
    }

    /** The rule cannot be saved: {@code field} is what is wrong. */
    record Refused(String field, String message) implements Outcome {
    }

    @Inject
    ListService lists;

    @Inject
    CampaignSends sends;

    @Transactional
    Optional<Sunset> of(long listId) {
        return lists.find(listId).map(MailingList::sunset);
    }

    @Transactional
    Outcome save(long listId, Sunset sunset) {
        Optional<MailingList> list = lists.find(listId);
        if (list.isEmpty()) {
            return new NoList();
        }
        Optional<String[]> problem = sunset.problem();
        if (problem.isPresent()) {
            return new Refused(problem.get()[0], problem.get()[1]);
        }
        if (sunset.enabled() && list.get().tracking != Tracking.SUBSCRIBER) {
            return new Refused("enabled", "the sunset rule needs the list to track per subscriber (tracking "
                    + "'subscriber'): with '" + list.get().tracking.value() + "' nobody's engagement is known");
        }
        if (sunset.campaignId() != null) {
            Optional<String> unsendable = sends.problem(sunset.campaignId());
            if (unsendable.isPresent()) {
                return new Refused("campaignId", unsendable.get());
            }
        }
        return new Saved(lists.setSunset(listId, sunset).orElseThrow().sunset());
    }
}
