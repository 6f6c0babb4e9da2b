package io.carteiro.bounces;

import io.carteiro.subscribers.SubscriberErasing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;

/** The writes of the bounce feature's own tables: bounces, messages kept for review, keys already processed. */
@ApplicationScoped
class BounceLedger {

    private final EntityManager em;

    BounceLedger(EntityManager em) {
        this.em = em;
    }

    /** One bounce about to be written. */
    record NewBounce(BouncedMessage message, BounceKind kind, BounceSource source, Integer statusCode,
                     String enhancedStatus, String diagnostic, Instant receivedAt) {
    }

    long insert(NewBounce b) {
        String email = b.message().recipient();
        int at = email.lastIndexOf('@');
        em.createNativeQuery("""
                        insert into bounce (subscriber_id, outbound_message_id, campaign_id, email, domain, kind, source,
                                            status_code, enhanced_status, diagnostic, received_at)
                        values (:subscriber, :message, :campaign, :email, :domain, :kind, :source, :code, :status,
                                :diagnostic, :at)""")
                .setParameter("subscriber", b.message().subscriberId())
                .setParameter("message", b.message().outboundMessageId())
                .setParameter("campaign", b.message().campaignId())
                .setParameter("email", email)
                .setParameter("domain", at < 0 ? "" : email.substring(at + 1).toLowerCase(Locale.ROOT))
                .setParameter("kind", b.kind().code())
                .setParameter("source", b.source().code())
                .setParameter("code", b.statusCode())
                .setParameter("status", b.enhancedStatus())
                .setParameter("diagnostic", clip(b.diagnostic(), 1000))
                .setParameter("at", Timestamp.from(b.receivedAt()))
                .executeUpdate();
        return ((Number) em.createNativeQuery("select last_insert_id()").getSingleResult()).longValue();
    }

    /** Erasure of a subscriber: their bounces name the address, so they go with it. */
    void onErasure(@Observes SubscriberErasing erasing) {
        em.createNativeQuery("delete from bounce where subscriber_id = :id")
                .setParameter("id", erasing.subscriberId()).executeUpdate();
    }

    boolean hasSmtpBounce(long outboundMessageId) {
        return !em.createNativeQuery("select 1 from bounce where outbound_message_id = :id and source = 'smtp' limit 1")
                .setParameter("id", outboundMessageId).getResultList().isEmpty();
    }

    void setAction(long bounceId, String action) {
        em.createNativeQuery("update bounce set action = :action where id = :id")
                .setParameter("action", action).setParameter("id", bounceId).executeUpdate();
    }

    /** Soft bounces of this subscriber on distinct campaigns received since {@code since}. */
    int distinctCampaignSoftBounces(long subscriberId, Instant since) {
        return ((Number) em.createNativeQuery("""
                        select count(distinct campaign_id) from bounce
                        where subscriber_id = :id and kind = 'soft' and received_at >= :since""")
                .setParameter("id", subscriberId).setParameter("since", Timestamp.from(since))
                .getSingleResult()).intValue();
    }

    /** Records that the message with this key is processed; false when it had been already. */
    boolean markSeen(String key, Instant now) {
        return em.createNativeQuery("insert ignore into inbound_seen (seen_key, seen_at) values (:key, :now)")
                .setParameter("key", clip(key, 500)).setParameter("now", Timestamp.from(now)).executeUpdate() == 1;
    }

    long keepForReview(InboundMail mail, ParsedMessage parsed, String reason, Instant now) {
        em.createNativeQuery("""
                        insert into inbound_unparsed (received_at, channel, mail_from, rcpt_to, from_header, subject,
                                                      reason, size_bytes, raw)
                        values (:at, :channel, :mailFrom, :rcptTo, :from, :subject, :reason, :size, :raw)""")
                .setParameter("at", Timestamp.from(now))
                .setParameter("channel", mail.channel().code())
                .setParameter("mailFrom", clip(mail.mailFrom(), 320))
                .setParameter("rcptTo", clip(mail.rcptTo(), 320))
                .setParameter("from", clip(parsed.from(), 320))
                .setParameter("subject", clip(parsed.subject(), 998))
                .setParameter("reason", clip(reason, 500))
                .setParameter("size", mail.raw().length)
                .setParameter("raw", mail.raw())
                .executeUpdate();
        return ((Number) em.createNativeQuery("select last_insert_id()").getSingleResult()).longValue();
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
