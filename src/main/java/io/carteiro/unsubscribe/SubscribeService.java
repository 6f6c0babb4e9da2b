package io.carteiro.unsubscribe;

import io.carteiro.delivery.MailQueue;
import io.carteiro.delivery.OutgoingMail;
import io.carteiro.subscribers.ConfirmationMail;
import io.carteiro.subscribers.EmailAddress;
import io.carteiro.subscribers.SubscriberName;
import io.carteiro.subscribers.Suppressions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Public sign-up and double opt-in confirmation, with the defences against subscription bombing: per-IP and
 * per-mailbox limits kept in the database, a honeypot, at most one confirmation mail per mailbox per interval (its
 * {@code +subaddresses} included) and a cap on confirmation mails per recipient domain, and the same answer whether or
 * not the address was already subscribed.
 */
@ApplicationScoped
class SubscribeService {

    private static final Logger LOG = Logger.getLogger(SubscribeService.class);
    private static final String DOMAIN_MAILS = "confirm-domain:";

    /** What the visitor typed into the form. */
    record SignUp(String email, String name, boolean consent, String honeypot) {
    }

    /** A form field the visitor must correct. */
    enum Problem {
        EMAIL_INVALID, CONSENT_MISSING, NAME_TOO_LONG, NAME_INVALID
    }

    /** The answer to a form post. {@code ACCEPTED} is given alike for new, known, suppressed and honeypot posts. */
    sealed interface SignUpResult permits Accepted, Invalid, RateLimited, NoSuchForm {
    }

    record Accepted(ListInfo list) implements SignUpResult {
    }

    record Invalid(ListInfo list, Set<Problem> problems) implements SignUpResult {
    }

    record RateLimited() implements SignUpResult {
    }

    record NoSuchForm() implements SignUpResult {
    }

    /** The outcome of a confirmation click. */
    enum ConfirmOutcome {
        CONFIRMED, ALREADY_CONFIRMED, NOT_FOUND
    }

    /** What the confirmation page shows. */
    record Pending(ListInfo list, String email) {
    }

    @CheckedTemplate(basePath = "unsubscribe", requireTypeSafeExpressions = false)
    static class Mails {
        static native TemplateInstance confirmMailHtml(String list, String url);

        static native TemplateInstance confirmMailText(String list, String url);
    }

    @Inject
    SubscriptionRepository repository;

    @Inject
    SubscribeConfig config;

    @Inject
    SignedLinks links;

    @Inject
    Suppressions suppressions;

    @Inject
    MailQueue mailQueue;

    @Transactional
    Optional<ListInfo> publicList(long listId) {
        return repository.findList(listId).filter(ListInfo::publicForm);
    }

    @Transactional
    SignUpResult signUp(long listId, SignUp form, Evidence ev, Locale locale) {
        Optional<ListInfo> found = publicList(listId);
        if (found.isEmpty()) {
            return new NoSuchForm();
        }
        ListInfo list = found.get();
        if (list.doubleOptIn()) {
            Optional<String> problem = senderProblem(list);
            if (problem.isPresent()) {
                // a sign-up whose confirmation mail cannot be written would wait for it forever: refused before
                // anything is written, and said where the owner looks (the form answers as for a closed form)
                LOG.warnf("list %d cannot send its confirmation mails (%s): its public form refuses sign-ups until"
                        + " the list has a From address", listId, problem.get());
                return new NoSuchForm();
            }
        }
        if (ev.ip() != null && overLimit("ip:" + ev.ip(), config.maxPerIp(), ev)) {
            return new RateLimited();
        }
        if (form.honeypot() != null && !form.honeypot().isBlank()) {
            LOG.infof("honeypot filled on the form of list %d from %s; ignored", listId, ev.ip());
            return new Accepted(list);
        }
        Set<Problem> problems = EnumSet.noneOf(Problem.class);
        EmailAddress.Parsed parsed = EmailAddress.parse(form.email());
        if (!(parsed instanceof EmailAddress.Valid)) {
            problems.add(Problem.EMAIL_INVALID);
        }
        if (!form.consent()) {
            problems.add(Problem.CONSENT_MISSING);
        }
        SubscriberName.Checked checkedName = SubscriberName.check(form.name());
        if (checkedName instanceof SubscriberName.Invalid invalidName) {
            problems.add(invalidName.problem() == SubscriberName.Problem.TOO_LONG ? Problem.NAME_TOO_LONG
                    : Problem.NAME_INVALID);
        }
        String name = checkedName instanceof SubscriberName.Valid valid ? valid.name().orElse(null) : null;
        if (!problems.isEmpty()) {
            return new Invalid(list, problems);
        }
        EmailAddress address = ((EmailAddress.Valid) parsed).address();
        if (overLimit("address:" + address.mailboxKey(), config.maxPerAddress(), ev)) {
            return new RateLimited();
        }
        if (suppressions.isSuppressed(address)) {
            return new Accepted(list);
        }
        // Looked at before anything is written, so a refused sign-up leaves nothing behind; counted only for a mail
        // actually sent, below. Concurrent sign-ups may pass it together: a limit, not an exact count.
        if (list.doubleOptIn() && repository.hits(DOMAIN_MAILS + address.domainKey(),
                ev.at().minus(config.window())) >= config.maxConfirmationsPerDomain()) {
            LOG.infof("confirmation mails to %s reached %d within %s; sign-up to list %d refused",
                    address.domainKey(), config.maxConfirmationsPerDomain(), config.window(), listId);
            return new RateLimited();
        }
        long subscriberId = repository.findOrCreateSubscriber(address, name, ev.at());
        boolean mailable = repository.findSubscriber(subscriberId).map(s -> "active".equals(s.status())).orElse(false);
        Optional<String> status = repository.lockSubscriptionStatus(listId, subscriberId);
        if (!mailable || status.filter("confirmed"::equals).isPresent()) {
            return new Accepted(list);
        }
        String newStatus = list.doubleOptIn() ? "unconfirmed" : "confirmed";
        repository.putSubscription(listId, subscriberId, newStatus, "form", ev, list.consentTextId());
        repository.appendEvent(subscriberId, listId, "subscribed", "form", ev, list.consentTextId(),
                list.doubleOptIn() ? "public form, awaiting confirmation" : "public form, single opt-in");
        if (list.doubleOptIn()) {
            if (overLimit("confirm-mail:" + address.mailboxKey(), 1, ev, config.confirmationMailInterval())) {
                LOG.infof("a confirmation mail to the mailbox of subscriber %d went out within %s; none for list %d",
                        subscriberId, config.confirmationMailInterval(), listId);
            } else {
                repository.hit(DOMAIN_MAILS + address.domainKey(), ev.at(), ev.at().minus(config.window()));
                sendConfirmation(list, address.value(), subscriberId, locale);
            }
        }
        return new Accepted(list);
    }

    @Transactional
    Optional<Pending> pending(long subscriberId, long listId) {
        Optional<ListInfo> list = repository.findList(listId);
        return repository.findSubscriber(subscriberId)
                .filter(s -> list.isPresent() && repository.subscriptionExists(listId, subscriberId))
                .map(s -> new Pending(list.get(), s.email()));
    }

    @Transactional
    ConfirmOutcome confirm(long subscriberId, long listId, Evidence ev) {
        Optional<String> status = repository.lockSubscriptionStatus(listId, subscriberId);
        if (status.isEmpty() || "unsubscribed".equals(status.get())) {
            // An unsubscribe after the sign-up outranks an old confirmation link.
            return ConfirmOutcome.NOT_FOUND;
        }
        if ("confirmed".equals(status.get())) {
            return ConfirmOutcome.ALREADY_CONFIRMED;
        }
        repository.confirm(listId, subscriberId, ev);
        repository.appendEvent(subscriberId, listId, "confirmed", "form", ev, null, "double opt-in link");
        return ConfirmOutcome.CONFIRMED;
    }

    /**
     * The confirmation mail of a subscription an admin added or asked to send again: only for an unconfirmed
     * subscription of a mailable subscriber, and at most one per mailbox per {@code confirmation-mail-interval}, the
     * limit the public form keeps. The per-domain cap is the public form's defence against strangers and is not
     * applied to a signed-in admin.
     */
    @Transactional
    ConfirmationMail.Sent requestConfirmation(long subscriberId, long listId, Locale locale,
                                                                     Instant now) {
        Optional<ListInfo> list = repository.findList(listId);
        Optional<SubscriptionRepository.SubscriberRow> subscriber = repository.findSubscriber(subscriberId);
        if (list.isEmpty() || subscriber.isEmpty() || !"active".equals(subscriber.get().status())
                || !repository.lockSubscriptionStatus(listId, subscriberId).filter("unconfirmed"::equals)
                .isPresent()) {
            return ConfirmationMail.Sent.NOT_UNCONFIRMED;
        }
        if (senderProblem(list.get()).isPresent()) {
            return ConfirmationMail.Sent.NO_SENDER; // before the interval's hit, so a resend after the fix goes out
        }
        EmailAddress address = EmailAddress.of(subscriber.get().email());
        if (repository.hit("confirm-mail:" + address.mailboxKey(), now, now.minus(config.confirmationMailInterval()))
                > 1) {
            return ConfirmationMail.Sent.TOO_SOON;
        }
        sendConfirmation(list.get(), address.value(), subscriberId, locale);
        return ConfirmationMail.Sent.SENT;
    }

    /**
     * Why the confirmation mail of this list cannot be written, or empty when it can: its From (or, without one,
     * {@code carteiro.subscribe.default-from}, {@code noreply@localhost} unless set) must be a public address, as
     * the engine requires of every sender.
     */
    Optional<String> senderProblem(ListInfo list) {
        String mailbox;
        try {
            mailbox = list.fromEmail() != null ? list.fromEmail()
                    : new jakarta.mail.internet.InternetAddress(config.defaultFrom(), true).getAddress();
        } catch (jakarta.mail.internet.AddressException e) {
            return Optional.of("carteiro.subscribe.default-from '" + config.defaultFrom() + "' is not an address");
        }
        if (EmailAddress.parse(mailbox) instanceof EmailAddress.Invalid invalid) {
            return Optional.of((list.fromEmail() != null ? "its From address" : "it has no From address, and"
                    + " carteiro.subscribe.default-from") + " '" + mailbox + "' is not a public address: "
                    + invalid.reason());
        }
        return Optional.empty();
    }

    private void sendConfirmation(ListInfo list, String to, long subscriberId, Locale locale) {
        String url = links.confirmUrl(subscriberId, list.id());
        PublicText text = Pages.texts(locale);
        String from = list.fromHeader(config.defaultFrom());
        String html = Pages.localized(Mails.confirmMailHtml(list.name(), url), locale).render();
        String plain = Pages.localized(Mails.confirmMailText(list.name(), url), locale).render();
        mailQueue.submit(new OutgoingMail(from, to, text.confirmMailSubject(list.name()), html, plain, Map.of(),
                subscriberId, list.id()));
    }

    private boolean overLimit(String key, int max, Evidence ev) {
        return overLimit(key, max, ev, config.window());
    }

    private boolean overLimit(String key, int max, Evidence ev, Duration window) {
        return repository.hit(key, ev.at(), ev.at().minus(window)) > max;
    }
}
