package io.carteiro.unsubscribe;

import io.carteiro.delivery.MailQueue;
import io.carteiro.delivery.OutgoingMail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Data download and erasure asked for in the preference centre. A preference link sits in every newsletter and
 * travels with each forwarded copy, so it only asks: the link that does it is mailed to the subscriber's own address,
 * short-lived, through the same queue as the double opt-in confirmation, and at most a few per window.
 */
@ApplicationScoped
class DataRequests {

    private static final Logger LOG = Logger.getLogger(DataRequests.class);

    /** What the subscriber asked for. */
    enum Kind {
        DOWNLOAD, ERASE
    }

    /** What asking came to: the mail went to {@code email}, too many were asked for lately, or nobody is there. */
    sealed interface Outcome permits Mailed, TooMany, Gone {
    }

    record Mailed(String email) implements Outcome {
    }

    record TooMany() implements Outcome {
    }

    record Gone() implements Outcome {
    }

    @CheckedTemplate(basePath = "unsubscribe", requireTypeSafeExpressions = false)
    static class Mails {
        static native TemplateInstance dataRequestMailHtml(String intro, String url, String ignore);

        static native TemplateInstance dataRequestMailText(String intro, String url, String ignore);
    }

    @Inject
    SubscriptionRepository repository;

    @Inject
    SignedLinks links;

    @Inject
    SubscribeConfig config;

    @Inject
    LinksConfig linksConfig;

    @Inject
    MailQueue mailQueue;

    @Transactional
    Outcome request(long subscriberId, Kind kind, Evidence ev, Locale locale) {
        Optional<SubscriptionRepository.SubscriberRow> found = repository.findSubscriber(subscriberId);
        if (found.isEmpty()) {
            return new Gone();
        }
        if (repository.hit("data-request:" + subscriberId, ev.at(), ev.at().minus(config.window()))
                > config.maxDataRequests()) {
            LOG.infof("data request of subscriber %d refused: more than %d within %s", subscriberId,
                    config.maxDataRequests(), config.window());
            return new TooMany();
        }
        SubscriptionRepository.SubscriberRow subscriber = found.get();
        PublicText text = Pages.texts(locale);
        long minutes = linksConfig.dataRequestLifetime().toMinutes();
        String url = kind == Kind.DOWNLOAD ? links.downloadUrl(subscriberId) : links.eraseUrl(subscriberId);
        String intro = kind == Kind.DOWNLOAD ? text.downloadMailIntro(minutes) : text.eraseMailIntro(minutes);
        String subject = kind == Kind.DOWNLOAD ? text.downloadMailSubject() : text.eraseMailSubject();
        String html = Pages.localized(Mails.dataRequestMailHtml(intro, url, text.dataMailIgnore()), locale).render();
        String plain = Pages.localized(Mails.dataRequestMailText(intro, url, text.dataMailIgnore()), locale)
                .render();
        mailQueue.submit(new OutgoingMail(sender(subscriberId), subscriber.email(), subject, html, plain, Map.of(),
                subscriberId, null));
        return new Mailed(subscriber.email());
    }

    /** The sender of a list the subscriber is on, so the mail comes from someone they know; else the default. */
    private String sender(long subscriberId) {
        return repository.choices(subscriberId).stream().filter(c -> c.status() != null)
                .map(c -> repository.findList(c.listId())).flatMap(Optional::stream)
                .filter(l -> l.fromEmail() != null).findFirst()
                .map(l -> l.fromHeader(config.defaultFrom())).orElse(config.defaultFrom());
    }
}
