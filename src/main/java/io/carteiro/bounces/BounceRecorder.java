package io.carteiro.bounces;

import io.carteiro.campaigns.CampaignLinks;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one place every bounce goes through, whatever brought it (the inbound listener, the polled mailbox, the
 * delivery engine's outcomes): it matches a report to the message we sent, records the bounce once per message and
 * kind, and applies the list-cleaning rules, all in the caller's transaction (the engine's own for its outcomes);
 * whatever it cannot match is kept for review.
 */
@ApplicationScoped
public class BounceRecorder {

    private static final Logger LOG = Logger.getLogger(BounceRecorder.class);

    private final BounceParser parser = new BounceParser(BounceRules.load());
    private final BouncedMessageLookup messages;
    private final BounceLedger ledger;
    private final BounceEffects effects;
    private final ListCleaner cleaner;
    private final Clock clock;
    private final CampaignLinks links;
    private final BounceConfig config;
    private final ReportRecipient reports;

    /** Tells the campaign report about an unsubscribe by {@code mailto:}. */
    @jakarta.inject.Inject
    jakarta.enterprise.event.Event<io.carteiro.subscribers.Unsubscribed> unsubscribed;

    BounceRecorder(BouncedMessageLookup messages, BounceLedger ledger, BounceEffects effects, ListCleaner cleaner,
                   Clock clock, CampaignLinks links, BounceConfig config, ReportRecipient reports) {
        this.reports = reports;
        this.messages = messages;
        this.ledger = ledger;
        this.effects = effects;
        this.cleaner = cleaner;
        this.clock = clock;
        this.links = links;
        this.config = config;
    }

    /**
     * Records these bounces and applies the rules to them, set-based, joining the caller's transaction. A bounce
     * already recorded for the same message and kind is skipped, so recording the same outcomes again changes
     * nothing. Returns the ids of the bounces written.
     */
    @Transactional
    List<Long> record(List<BounceLedger.NewBounce> bounces) {
        List<BounceLedger.Recorded> recorded = ledger.insertNew(bounces);
        if (recorded.isEmpty()) {
            return List.of();
        }
        Map<Long, String> actions = effects.apply(recorded, clock.instant());
        ledger.setActions(actions);
        if (LOG.isDebugEnabled()) {
            recorded.forEach(r -> LOG.debugf("bounce %d: %s %s for subscriber %d, action %s", r.id(),
                    r.bounce().kind().code(), r.bounce().enhancedStatus(), r.bounce().message().subscriberId(),
                    actions.get(r.id())));
        }
        return recorded.stream().map(BounceLedger.Recorded::id).toList();
    }

    /** What the listener knows about a recipient at the bounce domain before it takes the message. */
    enum RecipientKind {
        /** A VERP return path whose token verifies. */
        RETURN_PATH,
        /** A mailto unsubscribe address whose token verifies. */
        UNSUBSCRIBE,
        /** postmaster or abuse: accepted always (RFC 5321 §4.5.1, RFC 2142). */
        ROLE,
        /** A token-shaped address whose token does not verify (altered, forged, or mangled by a broken MTA). */
        FORGED_TOKEN,
        /** Any other local part: accepted, and matched by what the message itself says. */
        OTHER
    }

    /** Classifies a recipient on the bounce domain (the caller has checked the domain). */
    RecipientKind checkRecipient(String address) {
        if (links.unsubscribeMailboxOwner(address).isPresent()) {
            return RecipientKind.UNSUBSCRIBE;
        }
        String local = localPart(address);
        if (isRole(local)) {
            return RecipientKind.ROLE;
        }
        if (messages.decodeReturnPath(address).isPresent()) {
            return RecipientKind.RETURN_PATH;
        }
        return local.startsWith("b-") || local.startsWith("u-") ? RecipientKind.FORGED_TOKEN : RecipientKind.OTHER;
    }

    /** Parses, matches and records one inbound message; never throws for bad content. */
    @Transactional
    InboundOutcome receive(InboundMail mail) {
        Instant now = clock.instant();
        if (mail.seenKey() != null && !ledger.markSeen(mail.seenKey(), now)) {
            return InboundOutcome.of(InboundOutcome.Result.ALREADY_SEEN);
        }
        // DMARC and TLS-RPT reports go to the deliverability desk: they hold nothing against a subscriber
        Optional<ReportRecipient.Kind> report = reports.addressedTo(mail.rcptTo());
        if (report.isEmpty() && mail.channel() == InboundMail.Channel.MAILBOX) {
            report = reports.recognise(mail.raw().head(64 * 1024));
        }
        if (report.isPresent()) {
            byte[] whole;
            try (java.io.InputStream in = mail.raw().open()) {
                whole = in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("could not read a received report", e);
            }
            reports.receive(report.get(), whole, mail.mailFrom(),
                    mail.channel() == InboundMail.Channel.MAILBOX ? "mailbox" : "listener");
            return InboundOutcome.of(InboundOutcome.Result.IGNORED);
        }
        Optional<CampaignLinks.MailboxOwner> owner = links.unsubscribeMailboxOwner(mail.rcptTo());
        if (owner.isPresent()) {
            if (cleaner.unsubscribe(owner.get().subscriberId(), owner.get().listId(), ListCleaner.SOURCE_MAILTO,
                    "mailto", null, "unsubscribe by e-mail to " + mail.rcptTo().toLowerCase(Locale.ROOT), now) > 0) {
                unsubscribed.fire(new io.carteiro.subscribers.Unsubscribed(owner.get().subscriberId(),
                        owner.get().listId(), owner.get().campaignId() == 0 ? null : owner.get().campaignId()));
            }
            return InboundOutcome.of(InboundOutcome.Result.UNSUBSCRIBED);
        }
        ParsedMessage parsed = parser.parse(mail.raw().head(config.parseLimit()));
        String role = mail.rcptTo() != null && isRole(localPart(mail.rcptTo()))
                ? localPart(mail.rcptTo()) + "@ mail, for a person to read" : null;
        if (!parsed.understood()) {
            return keep(mail, parsed, role != null ? role : parsed.reason(), now);
        }
        List<Classification> reports = parsed.classifications().stream().filter(c -> c.kind().recordable()).toList();
        if (parsed.format() == ReportFormat.AUTO_REPLY || reports.isEmpty()) {
            boolean unknown = parsed.classifications().stream().anyMatch(c -> c.kind() == BounceKind.UNKNOWN);
            if (role != null || unknown) {
                return keep(mail, parsed, role != null ? role : "report with an unrecognised status", now);
            }
            return InboundOutcome.of(InboundOutcome.Result.IGNORED);
        }
        Optional<BouncedMessage> byReturnPath = Optional.empty();
        OptionalLong verp = messages.decodeReturnPath(mail.rcptTo());
        if (verp.isEmpty() && parsed.reportedReturnPath() != null) {
            verp = messages.decodeReturnPath(parsed.reportedReturnPath());
        }
        if (verp.isPresent()) {
            byReturnPath = messages.byId(verp.getAsLong());
        }
        BounceSource source = mail.channel() == InboundMail.Channel.MAILBOX ? BounceSource.MAILBOX
                : parsed.format() == ReportFormat.ARF ? BounceSource.ARF : BounceSource.DSN;
        List<BounceLedger.NewBounce> found = new ArrayList<>();
        for (Classification c : reports) {
            match(c, byReturnPath, reports.size()).ifPresent(m -> found.add(new BounceLedger.NewBounce(m, c.kind(),
                    source, c.smtpCode(), c.enhancedStatus(), c.diagnostic(), now)));
        }
        if (found.isEmpty()) {
            return keep(mail, parsed, "no message we sent matches this report", now);
        }
        List<Long> recorded = record(found);
        return recorded.isEmpty() ? InboundOutcome.of(InboundOutcome.Result.ALREADY_RECORDED)
                : new InboundOutcome(InboundOutcome.Result.RECORDED, recorded, null);
    }

    /**
     * The VERP address names the message for certain; with several recipients in one report only the one it was
     * sent to is matched that way, the others by the (signed) Message-ID the report quotes.
     */
    private Optional<BouncedMessage> match(Classification c, Optional<BouncedMessage> byReturnPath, int reports) {
        if (byReturnPath.isPresent() && (reports == 1 || c.recipient() == null
                || c.recipient().equalsIgnoreCase(byReturnPath.get().recipient()))) {
            return byReturnPath;
        }
        if (c.originalMessageId() == null) {
            return Optional.empty();
        }
        return messages.byMessageId(c.originalMessageId())
                .filter(m -> c.recipient() == null || c.recipient().equalsIgnoreCase(m.recipient()));
    }

    /** Keeps the message for review, then trims what is kept to its retention period and total size. */
    private InboundOutcome keep(InboundMail mail, ParsedMessage parsed, String reason, Instant now) {
        long id = ledger.keepForReview(mail, parsed, reason, now, config.reviewMessageLimit());
        trimReview(now);
        return new InboundOutcome(InboundOutcome.Result.KEPT_FOR_REVIEW, List.of(), id);
    }

    /**
     * Deletes messages kept for review beyond {@code carteiro.bounce.review-retention} and, oldest first, beyond
     * {@code carteiro.bounce.review-total-limit}: after each one kept, and every hour (once across replicas) so
     * that old ones go even when nothing new arrives.
     */
    @Scheduled(identity = "bounce-review-trim", every = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void trimReview() {
        trimReview(clock.instant());
    }

    private void trimReview(Instant now) {
        int deleted = ledger.trimReview(now.minus(config.reviewRetention()), config.reviewTotalLimit());
        if (deleted > 0) {
            LOG.infof("deleted %d messages kept for review (older than %s or beyond %d bytes in all)", deleted,
                    config.reviewRetention(), config.reviewTotalLimit());
        }
    }

    private static String localPart(String address) {
        String a = address == null ? "" : address.strip();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        int at = a.lastIndexOf('@');
        return (at < 0 ? a : a.substring(0, at)).toLowerCase(Locale.ROOT);
    }

    private static boolean isRole(String localPart) {
        return localPart.equals("postmaster") || localPart.equals("abuse");
    }
}
