package io.carteiro.campaigns;

import io.carteiro.delivery.RenderedMessage;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What other features may know of a campaign and do to it: its sender and a sample of its message (for the
 * deliverability desk's checklist and content score), the running campaigns, and pausing one by itself with the
 * reason shown on its page (the reputation brakes); its identity, status and when it was sent (the engagement
 * report), never its recipients. Campaign rows stay written only here.
 */
@ApplicationScoped
public class CampaignFacts {

    private static final Logger LOG = Logger.getLogger(CampaignFacts.class);

    /**
     * One campaign and its message as a sample subscriber would get it.
     *
     * @param firstFromDomain whether no other campaign from this From domain has started yet
     * @param sample          the rendered message (empty when its content no longer renders)
     * @param unsubscribeUrl  the sample's unsubscribe link, which a visible link in the body must carry
     */
    public record Facts(long id, String name, String status, String fromEmail, String fromDomain,
                        boolean firstFromDomain, Optional<RenderedMessage> sample, String sampleRecipient,
                        String unsubscribeUrl) {
    }

    /** A campaign as the engagement report sees it; {@code status} is its lower-case status name. */
    public record Fact(long id, String name, String subject, String status, Instant startedAt, Instant finishedAt,
                       List<Long> listIds) {

        /** Content, targets and settings of the campaign may still change (it has not been scheduled). */
        public boolean draft() {
            return CampaignStatus.draft.name().equals(status);
        }
    }

    /** A running campaign. */
    public record Running(long id, String name, String fromDomain) {
    }

    private final CampaignRepository campaigns;
    private final CampaignRenderer renderer;
    private final Clock clock;

    CampaignFacts(CampaignRepository campaigns, CampaignRenderer renderer, Clock clock) {
        this.campaigns = campaigns;
        this.renderer = renderer;
        this.clock = clock;
    }

    @Transactional
    public Optional<Facts> of(long campaignId) {
        Campaign c = campaigns.findById(campaignId);
        if (c == null) {
            return Optional.empty();
        }
        String domain = domainOf(c.fromEmail);
        Number earlier = (Number) em().createNativeQuery("""
                        SELECT COUNT(*) FROM campaign WHERE id <> ? AND started_at IS NOT NULL
                          AND LOWER(SUBSTRING_INDEX(from_email, '@', -1)) = ?""")
                .setParameter(1, campaignId).setParameter(2, domain).getSingleResult();
        Optional<CampaignMessage> sample;
        try {
            sample = renderer.checkSample(campaignId);
        } catch (RuntimeException e) {
            LOG.debugf("campaign %d does not render: %s", campaignId, e.getMessage());
            sample = Optional.empty();
        }
        String unsubscribe = sample.map(m -> m.content().headers().getOrDefault("List-Unsubscribe", ""))
                .map(h -> h.startsWith("<") && h.indexOf('>') > 0 ? h.substring(1, h.indexOf('>')) : "").orElse("");
        return Optional.of(new Facts(c.id, c.name, c.status.name(), c.fromEmail, domain, earlier.longValue() == 0,
                sample.map(CampaignMessage::content), CampaignTemplates.sample().email(), unsubscribe));
    }

    /** The distinct From domains of campaigns that were not cancelled, for the desk's list of sending domains. */
    @Transactional
    public List<String> fromDomains() {
        @SuppressWarnings("unchecked")
        List<String> domains = em().createNativeQuery("""
                SELECT DISTINCT LOWER(SUBSTRING_INDEX(from_email, '@', -1)) FROM campaign
                WHERE status <> 'cancelled' AND from_email LIKE '%@%' ORDER BY 1""").getResultList();
        return domains;
    }

    /** The running campaigns. */
    @Transactional
    public List<Running> running() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em().createNativeQuery(
                "SELECT id, name, from_email FROM campaign WHERE status = 'running' ORDER BY id").getResultList();
        return rows.stream().map(r -> new Running(((Number) r[0]).longValue(), (String) r[1],
                domainOf((String) r[2]))).toList();
    }

    /**
     * Pauses a running campaign by itself, its unsent messages held, with the reason on its page; false when it was
     * not running. Runs in the caller's transaction when there is one.
     */
    @Transactional
    public boolean pauseItself(long campaignId, String reason) {
        Optional<Campaign> found = campaigns.lockById(campaignId);
        if (found.isEmpty() || found.get().status != CampaignStatus.running) {
            return false;
        }
        Campaign c = found.get();
        campaigns.hold(campaignId);
        c.pausedByItself(reason, clock.instant());
        LOG.warnf("campaign %d paused by itself: %s", campaignId, reason);
        return true;
    }

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

    private EntityManager em() {
        return campaigns.getEntityManager();
    }

    private static String domainOf(String email) {
        return email == null ? "" : email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

}
