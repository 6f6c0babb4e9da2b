package io.carteiro.bounces;

import io.carteiro.campaigns.CampaignLinks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one place every bounce goes through, whatever brought it (the inbound listener, the polled mailbox, the
 * delivery engine's synchronous 5xx): it matches the report to the message we sent, records the bounce and applies
 * the list-cleaning rules in one transaction, and keeps whatever it cannot match for review.
 */
@ApplicationScoped
public class BounceRecorder {

    private static final Logger LOG = Logger.getLogger(BounceRecorder.class);

    private final BounceParser parser = new BounceParser(BounceRules.load());
    private final BouncedMessageLookup messages;
    private final BounceLedger ledger;
    private final ListCleaner cleaner;
    private final RuleSettingsStore settings;
    private final Clock clock;
    private final CampaignLinks links;

    /** Tells the campaign report about an unsubscribe by {@code mailto:}. */
    @jakarta.inject.Inject
    jakarta.enterprise.event.Event<io.carteiro.subscribers.Unsubscribed> unsubscribed;

    BounceRecorder(BouncedMessageLookup messages, BounceLedger ledger, ListCleaner cleaner,
                   RuleSettingsStore settings, Clock clock, CampaignLinks links) {
        this.links = links;
        this.messages = messages;
        this.ledger = ledger;
        this.cleaner = cleaner;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Records a permanent or temporary rejection the delivery engine received while handing a message over
     * (the synchronous reply to RCPT or DATA). Returns the bounce id, or empty when the message is unknown or the
     * reply is not a failure.
     */
    @Transactional
    public OptionalLong recordSynchronousRejection(long outboundMessageId, int replyCode, String enhancedStatus,
                                                   String reply) {
        if (replyCode < 400 || replyCode > 599) {
            return OptionalLong.empty();
        }
        String status = EnhancedStatus.isValid(enhancedStatus) ? enhancedStatus
                : EnhancedStatus.find(reply).orElse(replyCode >= 500 ? "5.0.0" : "4.0.0");
        BounceKind kind = EnhancedStatus.kindOf(status);
        if (kind == BounceKind.UNKNOWN) {
            kind = replyCode >= 500 ? BounceKind.HARD : BounceKind.SOFT;
        }
        return recordEngineOutcome(outboundMessageId, kind, replyCode, status, reply);
    }

    /**
     * Records what the engine concluded about a message; a second report of the same message is ignored, so the
     * engine may deliver its outcomes more than once.
     */
    @Transactional
    OptionalLong recordEngineOutcome(long outboundMessageId, BounceKind kind, Integer replyCode, String status,
                                     String reply) {
        Optional<BouncedMessage> message = messages.byId(outboundMessageId);
        if (message.isEmpty() || !kind.recordable() || ledger.hasSmtpBounce(outboundMessageId)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(record(message.get(), kind, BounceSource.SMTP, replyCode, status, reply,
                clock.instant()));
    }

    /** Whether the listener should take mail for this recipient (a genuine VERP or unsubscribe address). */
    RecipientCheck checkRecipient(String address) {
        if (links.unsubscribeMailboxOwner(address).isPresent()) {
            return RecipientCheck.ACCEPTED;
        }
        Optional<String> unsubscribe = UnsubscribeAddress.asReturnPath(address);
        String returnPath = unsubscribe.orElse(address);
        OptionalLong id = messages.decodeReturnPath(returnPath);
        return id.isPresent() ? RecipientCheck.ACCEPTED : RecipientCheck.FORGED_OR_UNKNOWN;
    }

    /** The listener's verdict on a recipient address of the bounce domain. */
    enum RecipientCheck {
        ACCEPTED, FORGED_OR_UNKNOWN
    }

    /** Parses, matches and records one inbound message; never throws for bad content. */
    @Transactional
    InboundOutcome receive(InboundMail mail) {
        Instant now = clock.instant();
        if (mail.seenKey() != null && !ledger.markSeen(mail.seenKey(), now)) {
            return InboundOutcome.of(InboundOutcome.Result.ALREADY_SEEN);
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
        Optional<String> unsubscribe = UnsubscribeAddress.asReturnPath(mail.rcptTo());
        if (unsubscribe.isPresent()) {
            return mailtoUnsubscribe(mail, unsubscribe.get(), now);
        }
        ParsedMessage parsed = parser.parse(mail.raw());
        if (!parsed.understood()) {
            return keep(mail, parsed, parsed.reason(), now);
        }
        if (parsed.format() == ReportFormat.AUTO_REPLY) {
            return InboundOutcome.of(InboundOutcome.Result.IGNORED);
        }
        List<Classification> reports = parsed.classifications().stream().filter(c -> c.kind().recordable()).toList();
        if (reports.isEmpty()) {
            boolean unknown = parsed.classifications().stream().anyMatch(c -> c.kind() == BounceKind.UNKNOWN);
            return unknown ? keep(mail, parsed, "report with an unrecognised status", now)
                    : InboundOutcome.of(InboundOutcome.Result.IGNORED);
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
        List<Long> recorded = new ArrayList<>();
        for (Classification c : reports) {
            Optional<BouncedMessage> message = match(c, byReturnPath, reports.size());
            message.ifPresent(m -> recorded.add(record(m, c.kind(), source, c.smtpCode(), c.enhancedStatus(),
                    c.diagnostic(), now)));
        }
        if (recorded.isEmpty()) {
            return keep(mail, parsed, "no message we sent matches this report", now);
        }
        return new InboundOutcome(InboundOutcome.Result.RECORDED, List.copyOf(recorded), null);
    }

    /**
     * The VERP address names the message for certain; with several recipients in one report only the one it was
     * sent to is matched that way, the others by the Message-ID they quote.
     */
    private Optional<BouncedMessage> match(Classification c, Optional<BouncedMessage> byReturnPath, int reports) {
        if (byReturnPath.isPresent() && (reports == 1 || c.recipient() == null
                || c.recipient().equalsIgnoreCase(byReturnPath.get().recipient()))) {
            return byReturnPath;
        }
        if (byReturnPath.isEmpty() && c.originalMessageId() != null) {
            return messages.byMessageId(c.originalMessageId())
                    .filter(m -> c.recipient() == null || c.recipient().equalsIgnoreCase(m.recipient()));
        }
        return Optional.empty();
    }

    private long record(BouncedMessage message, BounceKind kind, BounceSource source, Integer code, String status,
                        String diagnostic, Instant now) {
        long id = ledger.insert(new BounceLedger.NewBounce(message, kind, source, code, status, diagnostic, now));
        String action = applyRules(id, message, kind, status, now);
        ledger.setAction(id, action);
        LOG.debugf("bounce %d: %s %s for subscriber %d, action %s", id, kind.code(), status,
                message.subscriberId(), action);
        return id;
    }

    private String applyRules(long bounceId, BouncedMessage message, BounceKind kind, String status, Instant now) {
        RuleSettings rules = settings.current();
        String why = kind.code() + " bounce #" + bounceId + (status == null ? "" : " (" + status + ")");
        switch (kind) {
            case HARD -> {
                if (rules.hardBounceMarksBounced()) {
                    return cleaner.markBounced(message.subscriberId(), bounceId, why, now) ? "bounced" : "none";
                }
                return "none";
            }
            case SOFT -> {
                Instant since = now.minus(rules.softBounceWindowDays(), ChronoUnit.DAYS);
                Optional<Instant> delivered = messages.lastDeliveredAt(message.subscriberId());
                if (delivered.isPresent() && delivered.get().isAfter(since)) {
                    since = delivered.get();
                }
                int count = ledger.distinctCampaignSoftBounces(message.subscriberId(), since);
                if (count >= rules.softBounceThreshold()) {
                    String detail = why + ", " + count + " soft bounces on distinct campaigns within "
                            + rules.softBounceWindowDays() + " days";
                    return cleaner.markBounced(message.subscriberId(), bounceId, detail, now) ? "bounced" : "counted";
                }
                return "counted";
            }
            case COMPLAINT -> {
                if (rules.complaintUnsubscribes()) {
                    return cleaner.complain(message.subscriberId(), bounceId, why, now) ? "complained" : "none";
                }
                return "none";
            }
            default -> {
                return "none";
            }
        }
    }

    private InboundOutcome mailtoUnsubscribe(InboundMail mail, String returnPath, Instant now) {
        OptionalLong id = messages.decodeReturnPath(returnPath);
        Optional<BouncedMessage> message = id.isPresent() ? messages.byId(id.getAsLong()) : Optional.empty();
        if (message.isEmpty()) {
            ParsedMessage parsed = parser.parse(mail.raw());
            return keep(mail, parsed, "unsubscribe address names no message we sent", now);
        }
        if (cleaner.unsubscribe(message.get().subscriberId(), message.get().listId(), ListCleaner.SOURCE_MAILTO,
                "mailto", null, "unsubscribe by e-mail to " + mail.rcptTo().toLowerCase(Locale.ROOT), now) > 0
                && message.get().listId() != null) {
            unsubscribed.fire(new io.carteiro.subscribers.Unsubscribed(message.get().subscriberId(),
                    message.get().listId(), message.get().campaignId()));
        }
        return InboundOutcome.of(InboundOutcome.Result.UNSUBSCRIBED);
    }

    private InboundOutcome keep(InboundMail mail, ParsedMessage parsed, String reason, Instant now) {
        long id = ledger.keepForReview(mail, parsed, reason, now);
        return new InboundOutcome(InboundOutcome.Result.KEPT_FOR_REVIEW, List.of(), id);
    }
}
