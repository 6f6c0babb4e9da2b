package io.carteiro.bounces;

import io.carteiro.delivery.MessageIds;
import io.carteiro.delivery.VerpAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link BouncedMessageLookup} over the delivery engine's {@code outbound_message} table, its VERP tokens and its
 * signed Message-IDs (the one place the bounce feature reads the engine's table).
 */
@ApplicationScoped
class OutboundMessageLookup implements BouncedMessageLookup {

    private static final String COLUMNS = "select id, subscriber_id, campaign_id, list_id, recipient from outbound_message ";

    private final VerpAddress verp;
    private final MessageIds messageIds;
    private final EntityManager em;

    OutboundMessageLookup(VerpAddress verp, MessageIds messageIds, EntityManager em) {
        this.verp = verp;
        this.messageIds = messageIds;
        this.em = em;
    }

    @Override
    public OptionalLong decodeReturnPath(String address) {
        return verp.decode(address);
    }

    @Override
    public Optional<BouncedMessage> byId(long outboundMessageId) {
        return first(em.createNativeQuery(COLUMNS + "where id = :id and subscriber_id is not null")
                .setParameter("id", outboundMessageId).getResultList());
    }

    /**
     * A signed Message-ID names its row directly. Otherwise only a transactional message is looked up by its
     * stored Message-ID: those are random (96 bits) from the start, while campaign rows queued before Message-IDs
     * were signed carry guessable ones (row id and time) that must not be trusted.
     */
    @Override
    public Optional<BouncedMessage> byMessageId(String messageId) {
        if (messageId == null || messageId.isBlank()) {
            return Optional.empty();
        }
        OptionalLong signed = messageIds.decode(messageId);
        if (signed.isPresent()) {
            return byId(signed.getAsLong());
        }
        String bare = messageId.strip().replaceAll("^<|>$", "");
        return first(em.createNativeQuery(COLUMNS + "where message_id in (:bracketed, :bare) and campaign_id is null"
                        + " and subscriber_id is not null order by id desc limit 1")
                .setParameter("bracketed", "<" + bare + ">").setParameter("bare", bare).getResultList());
    }

    @Override
    public Map<Long, Instant> lastDeliveredAt(Collection<Long> subscriberIds) {
        Map<Long, Instant> delivered = new HashMap<>();
        if (subscriberIds.isEmpty()) {
            return delivered;
        }
        for (Object o : em.createNativeQuery("""
                        select o.subscriber_id, max(o.sent_at) from outbound_message o
                        where o.subscriber_id in (:ids) and o.state = 'sent'
                          and not exists (select 1 from bounce b where b.outbound_message_id = o.id
                                          and b.kind <> 'delayed')
                        group by o.subscriber_id""")
                .setParameter("ids", subscriberIds).getResultList()) {
            Object[] r = (Object[]) o;
            if (r[1] != null) {
                delivered.put(((Number) r[0]).longValue(), SqlTimes.instant(r[1]));
            }
        }
        return delivered;
    }

    private static Optional<BouncedMessage> first(List<?> rows) {
        return rows.stream().findFirst().map(r -> {
            Object[] row = (Object[]) r;
            return new BouncedMessage(((Number) row[0]).longValue(), ((Number) row[1]).longValue(),
                    row[2] == null ? null : ((Number) row[2]).longValue(),
                    row[3] == null ? null : ((Number) row[3]).longValue(), (String) row[4]);
        });
    }
}
