package io.carteiro.bounces;

import io.carteiro.web.LogSafe;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Polls the configured bounce mailbox on its interval (once across replicas, through the clustered scheduler). */
@ApplicationScoped
class MailboxPoller {

    private static final Logger LOG = Logger.getLogger(MailboxPoller.class);

    private final BounceConfig config;
    private final MailboxReader reader;

    MailboxPoller(BounceConfig config, MailboxReader reader) {
        this.config = config;
        this.reader = reader;
    }

    @Scheduled(identity = "bounce-mailbox", every = "${carteiro.bounce.mailbox.poll-interval:PT5M}",
            delayed = "PT30S", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (!config.mailbox().enabled()) {
            return;
        }
        try {
            reader.poll(MailboxSettings.from(config.mailbox()));
        } catch (Exception e) {
            LOG.warnf("bounce mailbox poll failed (will retry next interval): %s", LogSafe.quote(e.getMessage()));
        }
    }
}
