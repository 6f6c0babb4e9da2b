package io.carteiro.bounces;

import io.carteiro.delivery.VerpAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** {@link BouncedMessageLookup} over the delivery engine's {@code outbound_message} table and its VERP tokens. */
@ApplicationScoped
class OutboundMessageLookup implements BouncedMessageLookup {

    private static final String COLUMNS = "select id, subscriber_id, campaign_id, list_id, recipient from outbound_message ";

    private final VerpAddress verp;
    private final EntityManager em;

    OutboundMessageLookup(VerpAddress verp, EntityManager em) {
        this.verp = verp;
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

    @Override
    public Optional<BouncedMessage> byMessageId(String messageId) {
        if (messageId == null || messageId.isBlank()) {
            return Optional.empty();
        }
        String bare = messageId.strip().replaceAll("^<|>$", "");
        return first(em.createNativeQuery(COLUMNS
                        + "where message_id in (:bracketed, :bare) and subscriber_id is not null order by id desc limit 1")
                .setParameter("bracketed", "<" + bare + ">").setParameter("bare", bare).getResultList());
    }

    @Override
    public Optional<Instant> lastDeliveredAt(long subscriberId) {
        Object value = em.createNativeQuery("""
                        select max(o.sent_at) from outbound_message o
                        where o.subscriber_id = :subscriber and o.state = 'sent'
                          and not exists (select 1 from bounce b where b.outbound_message_id = o.id)""")
                .setParameter("subscriber", subscriberId).getSingleResult();
        if (value instanceof Timestamp t) {
            return Optional.of(t.toInstant());
        }
        if (value instanceof LocalDateTime t) {
            return Optional.of(t.toInstant(ZoneOffset.UTC));
        }
        return Optional.ofNullable((Instant) value);
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
