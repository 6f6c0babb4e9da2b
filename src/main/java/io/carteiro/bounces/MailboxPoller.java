package io.carteiro.bounces;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;

/**
 * Polls the configured bounce mailbox when it is due ({@link MailboxSchedule}). A short check runs every few
 * seconds, once across replicas through the clustered scheduler; its own trigger never changes, so a new poll
 * interval or new mailbox settings take effect at the next check instead of at the old schedule's next run.
 */
@ApplicationScoped
class MailboxPoller {

    private static final Logger LOG = Logger.getLogger(MailboxPoller.class);
    /** Longest a poll may hold the mailbox before another instance may take it over. */
    static final Duration LEASE = Duration.ofMinutes(15);

    private final BounceConfig config;
    private final MailboxReader reader;
    private final MailboxSchedule schedule;
    private final Clock clock;
    private volatile String lastProblem;

    MailboxPoller(BounceConfig config, MailboxReader reader, MailboxSchedule schedule, Clock clock) {
        this.config = config;
        this.reader = reader;
        this.schedule = schedule;
        this.clock = clock;
    }

    @Scheduled(identity = "bounce-mailbox-due", every = "5s", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pollWhenDue() {
        if (!config.mailbox().enabled()) {
            return;
        }
        MailboxSettings settings;
        try {
            settings = MailboxSettings.from(config.mailbox());
        } catch (IllegalArgumentException e) {
            problem("bounce mailbox not polled: " + e.getMessage());
            return;
        }
        if (!schedule.claim(settings.fingerprint(), settings.pollInterval(), LEASE, clock.instant())) {
            return;
        }
        MailboxReader.PollOutcome outcome = reader.poll(settings);
        schedule.finish(outcome.summary(), clock.instant());
        if (outcome instanceof MailboxReader.Failed failed) {
            problem("bounce mailbox " + settings.where() + ": " + failed.what());
        } else {
            MailboxReader.Polled polled = (MailboxReader.Polled) outcome;
            if (lastProblem != null) {
                LOG.infof("bounce mailbox %s polled again without trouble", settings.where());
                lastProblem = null;
            }
            if (polled.read() > 0) {
                LOG.infof("bounce mailbox %s: %s", settings.where(), polled.summary());
            }
        }
    }

    /** The same trouble is logged as a warning once, then only at debug level until it changes. */
    private void problem(String text) {
        if (text.equals(lastProblem)) {
            LOG.debug(text);
            return;
        }
        lastProblem = text;
        LOG.warn(text);
    }
}
