package io.carteiro.unsubscribe;

import io.carteiro.delivery.MailQueue;
import io.carteiro.delivery.OutgoingMail;
import io.quarkus.arc.DefaultBean;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;

/**
 * The {@link MailQueue} used when the delivery engine is absent: hands each message straight to Quarkus Mailer
 * (relay mode through the configured smarthost) once the caller's transaction commits. It queues nothing, so there
 * is nothing to cancel. The engine's own bean replaces this one as soon as it is part of the application.
 */
@DefaultBean
@ApplicationScoped
class MailerFallbackQueue implements MailQueue {

    private static final Logger LOG = Logger.getLogger(MailerFallbackQueue.class);

    @Inject
    Mailer mailer;

    @Inject
    TransactionSynchronizationRegistry transactions;

    /** Sends after commit (or at once outside a transaction); returns 0, since no outbound row exists. */
    @Override
    public long submit(OutgoingMail mail) {
        Mail message = Mail.withHtml(mail.to(), mail.subject(), mail.html()).setText(mail.text()).setFrom(mail.from());
        if (mail.headers() != null) {
            mail.headers().forEach(message::addHeader);
        }
        if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        send(message);
                    }
                }
            });
        } else {
            send(message);
        }
        return 0;
    }

    @Override
    public int cancelQueued(long subscriberId, Long listId) {
        return 0;
    }

    private void send(Mail message) {
        try {
            mailer.send(message);
        } catch (RuntimeException e) {
            LOG.warnf(e, "could not send mail to %s", message.getTo());
        }
    }
}
