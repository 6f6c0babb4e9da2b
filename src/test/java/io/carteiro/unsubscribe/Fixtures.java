package io.carteiro.unsubscribe;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Test data written straight into the foundation tables, each with unique names so tests can share one database. */
@ApplicationScoped
class Fixtures {

    @Inject
    EntityManager em;

    static String uniqueEmail(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    long list(String name, String optIn, boolean publicForm, String consentText) {
        return QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("""
                            insert into mailing_list (name, opt_in, from_email, from_name, public_form)
                            values (:n, :o, 'news@example.org', 'Example News', :p)""")
                    .setParameter("n", name + " " + UUID.randomUUID().toString().substring(0, 6))
                    .setParameter("o", optIn).setParameter("p", publicForm).executeUpdate();
            long id = ((Number) em.createNativeQuery("select last_insert_id()").getSingleResult()).longValue();
            if (consentText != null) {
                em.createNativeQuery("insert into consent_text (list_id, version, body) values (:l, 1, :b)")
                        .setParameter("l", id).setParameter("b", consentText).executeUpdate();
                em.createNativeQuery("update mailing_list set consent_text_version = 1 where id = :l")
                        .setParameter("l", id).executeUpdate();
            }
            return id;
        });
    }

    /** A subscriber with a subscription of the given status; returns the subscriber id. */
    long subscriber(String email, long listId, String status) {
        return QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("""
                            insert into subscriber (email, email_key, domain, name) values (:e, lower(:e), 'example.org', 'Ana')
                            on duplicate key update id = last_insert_id(id)""").setParameter("e", email).executeUpdate();
            long id = ((Number) em.createNativeQuery("select last_insert_id()").getSingleResult()).longValue();
            em.createNativeQuery("""
                            insert into subscription (list_id, subscriber_id, status, source) values (:l, :s, :st, 'admin')""")
                    .setParameter("l", listId).setParameter("s", id).setParameter("st", status).executeUpdate();
            return id;
        });
    }

    Optional<Long> subscriberId(String email) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<?> rows = em.createNativeQuery("select id from subscriber where email_key = lower(:e)")
                    .setParameter("e", email).getResultList();
            return rows.stream().findFirst().map(r -> ((Number) r).longValue());
        });
    }

    /** Selected columns of the subscription, or an empty list when there is none. */
    List<Object> subscription(long listId, long subscriberId, String columns) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<?> rows = em.createNativeQuery("select " + columns
                            + " from subscription where list_id = :l and subscriber_id = :s")
                    .setParameter("l", listId).setParameter("s", subscriberId).getResultList();
            if (rows.isEmpty()) {
                return List.of();
            }
            Object row = rows.get(0);
            return row instanceof Object[] a ? java.util.Arrays.asList(a) : java.util.Collections.singletonList(row);
        });
    }

    String status(long listId, long subscriberId) {
        List<Object> row = subscription(listId, subscriberId, "status");
        return row.isEmpty() ? null : (String) row.get(0);
    }

    /** The consent events of a subscriber as "event detail" lines, oldest first. */
    List<String> events(long subscriberId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<?> rows = em.createNativeQuery(
                            "select concat(event, ' ', coalesce(detail, '')) from consent_event where subscriber_id = :s order by id")
                    .setParameter("s", subscriberId).getResultList();
            return rows.stream().map(String::valueOf).toList();
        });
    }

    void execute(String sql) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(sql).executeUpdate());
    }

    long count(String sql, Object param) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(sql)
                .setParameter("p", param).getSingleResult()).longValue());
    }

    /** A transactional mail as the delivery engine holds it in its queue. */
    record QueuedMail(long id, String state, String subject, String text) {
    }

    /** The mails queued for this address (through the engine's {@code MailQueue}), oldest first. */
    List<QueuedMail> queuedMails(String email) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                            select m.id, m.state, c.subject, c.text from outbound_message m
                            join outbound_content c on c.outbound_message_id = m.id
                            where lower(m.recipient) = :e order by m.id""")
                    .setParameter("e", email.toLowerCase(java.util.Locale.ROOT)).getResultList();
            return rows.stream().map(r -> new QueuedMail(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                    (String) r[3])).toList();
        });
    }

    /** The queue state of one outbound message. */
    String queuedState(long outboundId) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select state from outbound_message where id = :id").setParameter("id", outboundId).getSingleResult());
    }
}
