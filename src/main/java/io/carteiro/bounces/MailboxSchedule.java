package io.carteiro.bounces;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When the bounce mailbox is due, kept in {@code bounce_mailbox_poll} (V100): due when the configured interval has
 * passed since the last poll started, or at once when the settings changed; a lease keeps two replicas from polling
 * together and runs out by itself when an instance dies mid-poll.
 */
@ApplicationScoped
class MailboxSchedule {

    /** The last poll, as the bounces page shows it. */
    record LastPoll(Instant startedAt, Instant finishedAt, String outcome) {
    }

    private final EntityManager em;

    MailboxSchedule(EntityManager em) {
        this.em = em;
    }

    /** Takes the next poll when it is due; false when it is not, or another instance is polling. */
    @Transactional
    boolean claim(String fingerprint, Duration interval, Duration lease, Instant now) {
        return em.createNativeQuery("""
                        update bounce_mailbox_poll set started_at = :now, lease_until = :lease, settings = :settings
                        where id = 1 and (lease_until is null or lease_until < :now)
                          and (started_at is null or settings is null or settings <> :settings
                               or started_at <= :due)""")
                .setParameter("now", Timestamp.from(now)).setParameter("lease", Timestamp.from(now.plus(lease)))
                .setParameter("settings", fingerprint).setParameter("due", Timestamp.from(now.minus(interval)))
                .executeUpdate() == 1;
    }

    /** Records what the poll came to and gives the lease back. */
    @Transactional
    void finish(String outcome, Instant now) {
        em.createNativeQuery("""
                        update bounce_mailbox_poll set lease_until = null, finished_at = :now, outcome = :outcome
                        where id = 1""")
                .setParameter("now", Timestamp.from(now))
                .setParameter("outcome", outcome.length() <= 1000 ? outcome : outcome.substring(0, 1000))
                .executeUpdate();
    }

    @Transactional
    Optional<LastPoll> last() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select started_at, finished_at, outcome from bounce_mailbox_poll where id = 1 "
                                + "and started_at is not null").getResultList();
        return rows.stream().findFirst().map(r -> new LastPoll(SqlTimes.instant(r[0]),
                r[1] == null ? null : SqlTimes.instant(r[1]), (String) r[2]));
    }
}
