package io.carteiro.campaigns;

import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What other features may know of a campaign (the engagement report, tracking settings): its identity, status and
 * when it was sent; never its content or recipients.
 */
@ApplicationScoped
public class CampaignFacts {

    /** A campaign as other features see it; {@code status} is its lower-case status name. */
    public record Fact(long id, String name, String subject, String status, Instant startedAt, Instant finishedAt,
                       List<Long> listIds) {

        /** Content, targets and settings of the campaign may still change (it has not been scheduled). */
        public boolean draft() {
            return CampaignStatus.draft.name().equals(status);
        }
    }

    @Inject
    CampaignRepository campaigns;

    @Transactional
    public Optional<Fact> find(long id) {
        return campaigns.findByIdOptional(id).map(this::fact);
    }

    /** Up to {@code n} campaigns started before campaign {@code id}, the latest first. */
    @Transactional
    public List<Fact> startedBefore(long id, int n) {
        Optional<Campaign> campaign = campaigns.findByIdOptional(id);
        if (campaign.isEmpty() || campaign.get().startedAt == null) {
            return campaigns.find("startedAt is not null and id < :id order by startedAt desc, id desc",
                            Parameters.with("id", id)).page(0, n).list().stream().map(this::fact).toList();
        }
        return campaigns.find("startedAt is not null and id <> :id and (startedAt < :at or (startedAt = :at and id < :id))"
                                + " order by startedAt desc, id desc",
                        Parameters.with("id", id).and("at", campaign.get().startedAt))
                .page(0, n).list().stream().map(this::fact).toList();
    }

    private Fact fact(Campaign c) {
        return new Fact(c.id, c.name, c.subject, c.status.name(), c.startedAt, c.finishedAt, campaigns.listIds(c.id));
    }
}
