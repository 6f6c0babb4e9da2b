package io.carteiro.deliverability;

import io.carteiro.bounces.ComplaintCounts;
import io.carteiro.campaigns.CampaignFacts;
import io.carteiro.delivery.RenderedMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pre-send checklist of a campaign (issue 17.2): the domain check of its From domain and of the bounce domain
 * (what Gmail, Outlook and Yahoo require of bulk senders), then the campaign's own facts — the one-click unsubscribe
 * header, a visible unsubscribe link, List-Id — and the complaint rate of the last 30 days.
 */
@ApplicationScoped
public class PreSendChecklist {

    /** Gmail's and Yahoo's limit on the complaint rate; at a third of it they advise to act. */
    static final double COMPLAINT_LIMIT = 0.003;
    static final Duration COMPLAINT_WINDOW = Duration.ofDays(30);

    /** The checklist of one campaign. */
    public record Checklist(long campaignId, String campaignName, String fromDomain, boolean firstFromDomain,
                            List<CheckItem> campaign, DomainCheck fromDomainCheck, DomainCheck bounceDomainCheck) {

        /** The worst verdict of every item. */
        public Verdict overall() {
            Verdict worst = fromDomainCheck.overall().worse(bounceDomainCheck.overall());
            for (CheckItem c : campaign) {
                worst = worst.worse(c.verdict());
            }
            return worst;
        }
    }

    private final CampaignFacts campaigns;
    private final DomainChecks domains;
    private final ComplaintCounts complaints;
    private final ReputationLedger ledger;
    private final Clock clock;

    PreSendChecklist(CampaignFacts campaigns, DomainChecks domains, ComplaintCounts complaints,
                     ReputationLedger ledger, Clock clock) {
        this.campaigns = campaigns;
        this.domains = domains;
        this.complaints = complaints;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** The checklist, or empty when there is no such campaign. */
    public Optional<Checklist> of(long campaignId) {
        Optional<CampaignFacts.Facts> found = campaigns.of(campaignId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        CampaignFacts.Facts f = found.get();
        List<CheckItem> items = new ArrayList<>(messageItems(f));
        items.add(complaintRate());
        DomainCheck from = DomainChecks.validDomain(f.fromDomain()).map(domains::check)
                .orElseGet(() -> new DomainCheck(f.fromDomain(), List.of(new CheckItem("from", Verdict.FAIL,
                        "The From address '" + Texts.shorten(f.fromEmail()) + "' has no valid domain.",
                        "Set a From address at a domain you own.")), clock.instant()));
        DomainCheck bounce = domains.check(domains.bounceDomain());
        return Optional.of(new Checklist(f.id(), f.name(), f.fromDomain(), f.firstFromDomain(), items, from, bounce));
    }

    /** The message's own items, from the sample rendered through the same path as a real send. */
    static List<CheckItem> messageItems(CampaignFacts.Facts f) {
        if (f.sample().isEmpty()) {
            return List.of(new CheckItem("content", Verdict.FAIL, "The campaign's content does not render.",
                    "Open the campaign and fix its template."));
        }
        RenderedMessage m = f.sample().get();
        List<CheckItem> out = new ArrayList<>();
        String post = m.headers().getOrDefault("List-Unsubscribe-Post", "");
        boolean https = m.headers().getOrDefault("List-Unsubscribe", "").contains("<https://");
        if (!"List-Unsubscribe=One-Click".equals(post) || f.unsubscribeUrl().isEmpty()) {
            out.add(new CheckItem("one-click", Verdict.FAIL, "The message has no RFC 8058 one-click unsubscribe "
                    + "(List-Unsubscribe with List-Unsubscribe-Post: List-Unsubscribe=One-Click).",
                    "Gmail and Yahoo require it of bulk senders: keep the campaign's unsubscribe headers."));
        } else if (!https) {
            out.add(new CheckItem("one-click", Verdict.WARN, "The one-click unsubscribe link is not HTTPS: "
                    + Texts.shorten(f.unsubscribeUrl()) + ".", "Set carteiro.public-url to the HTTPS address "
                    + "subscribers reach Carteiro at; receivers only honour one-click over HTTPS."));
        } else {
            out.add(new CheckItem("one-click", Verdict.PASS, "List-Unsubscribe and List-Unsubscribe-Post "
                    + "(RFC 8058 one-click) are set.", null));
        }
        boolean visible = f.unsubscribeUrl().length() > 0
                && (m.html() != null && m.html().contains(f.unsubscribeUrl().replace("&", "&amp;"))
                || m.html() != null && m.html().contains(f.unsubscribeUrl())
                || m.text() != null && m.text().contains(f.unsubscribeUrl()));
        out.add(visible
                ? new CheckItem("unsubscribe-link", Verdict.PASS, "The body has a visible unsubscribe link.", null)
                : new CheckItem("unsubscribe-link", Verdict.FAIL, "The body has no unsubscribe link: a reader who "
                        + "cannot find one presses \"Report spam\" instead.",
                        "Put <a href=\"{unsubscribeUrl}\">Unsubscribe</a> in the template."));
        String listId = m.headers().get("List-Id");
        out.add(listId == null || listId.isBlank()
                ? new CheckItem("list-id", Verdict.WARN, "The message has no List-Id header.",
                        "Send to a list: the List-Id header comes from it.")
                : new CheckItem("list-id", Verdict.PASS, "List-Id: " + Texts.shorten(listId) + ".", null));
        return out;
    }

    /** Complaints of the last 30 days over the messages delivered in them. */
    @Transactional
    CheckItem complaintRate() {
        Instant now = clock.instant();
        long complained = complaints.since(now.minus(COMPLAINT_WINDOW));
        long delivered = ledger.deliveredSince(LocalDate.ofInstant(now.minus(COMPLAINT_WINDOW), ZoneOffset.UTC));
        return complaintItem(complained, delivered);
    }

    static CheckItem complaintItem(long complained, long delivered) {
        if (delivered == 0) {
            return new CheckItem("complaint-rate", complained == 0 ? Verdict.PASS : Verdict.WARN,
                    complained + " complaints and no delivered messages in the last 30 days.", null);
        }
        double rate = (double) complained / delivered;
        String detail = complained + " complaints for " + delivered + " delivered messages in the last 30 days ("
                + ReputationBrakes.percent(complained, delivered) + "; Gmail and Yahoo act at 0.3%).";
        if (rate >= COMPLAINT_LIMIT) {
            return new CheckItem("complaint-rate", Verdict.FAIL, detail, "Mail only people who asked for it, "
                    + "make the unsubscribe link plain, and remove those who never open.");
        }
        if (rate >= COMPLAINT_LIMIT / 3) {
            return new CheckItem("complaint-rate", Verdict.WARN, detail, "Stay well below 0.3%: aim for under 0.1%.");
        }
        return new CheckItem("complaint-rate", Verdict.PASS, detail, null);
    }
}
