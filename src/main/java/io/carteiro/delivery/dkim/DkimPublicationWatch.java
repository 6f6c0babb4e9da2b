package io.carteiro.delivery.dkim;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;

/**
 * Looks up the DNS records of the active keys (a clustered Quartz job, so one instance asks): a waiting key every
 * minute until it is published, the others hourly, so a new key starts signing within a minute of its record and a
 * record removed from the DNS stops the key within the hour.
 */
@ApplicationScoped
class DkimPublicationWatch {

    private static final Logger LOG = Logger.getLogger(DkimPublicationWatch.class);
    static final Duration PENDING = Duration.ofMinutes(1);
    static final Duration SETTLED = Duration.ofHours(1);

    @Inject
    DkimKeys keys;

    @Inject
    DkimPublication publication;

    @Inject
    Clock clock;

    @Scheduled(identity = "dkim-publication", every = "60s", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watch() {
        for (DkimKey key : keys.dueForCheck(clock.instant(), PENDING, SETTLED)) {
            try {
                DkimKeys.DnsStatus status = keys.recordCheck(key.id(), publication.check(key), clock.instant());
                LOG.debugf("DKIM key %s of %s: %s", key.selector(), key.domain(), status.state());
            } catch (RuntimeException e) {
                LOG.warnf("DNS check of DKIM key %s._domainkey.%s failed: %s", key.selector(), key.domain(),
                        e.getMessage());
            }
        }
    }
}
