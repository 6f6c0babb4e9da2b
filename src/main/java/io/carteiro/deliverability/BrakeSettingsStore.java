package io.carteiro.deliverability;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;

/** The table {@code brake_setting}: one row of thresholds, or none for the defaults of {@link BrakeSettings}. */
@ApplicationScoped
class BrakeSettingsStore {

    private final EntityManager em;
    private final Clock clock;

    BrakeSettingsStore(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    @Transactional
    BrakeSettings current() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT enabled, first_messages, min_messages, hard_bounce_percent, complaint_percent, min_delivered,
                       provider_refusal_percent, provider_min_attempts FROM brake_setting WHERE id = 1""")
                .getResultList();
        if (rows.isEmpty()) {
            return BrakeSettings.DEFAULTS;
        }
        Object[] r = rows.get(0);
        return new BrakeSettings(truth(r[0]), ((Number) r[1]).intValue(), ((Number) r[2]).intValue(),
                (BigDecimal) r[3], (BigDecimal) r[4], ((Number) r[5]).intValue(), (BigDecimal) r[6],
                ((Number) r[7]).intValue());
    }

    @Transactional
    void save(BrakeSettings s, String by) {
        em.createNativeQuery("""
                        INSERT INTO brake_setting (id, enabled, first_messages, min_messages, hard_bounce_percent,
                            complaint_percent, min_delivered, provider_refusal_percent, provider_min_attempts,
                            updated_at, updated_by)
                        VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                        ON DUPLICATE KEY UPDATE enabled = ?1, first_messages = ?2, min_messages = ?3,
                            hard_bounce_percent = ?4, complaint_percent = ?5, min_delivered = ?6,
                            provider_refusal_percent = ?7, provider_min_attempts = ?8, updated_at = ?9,
                            updated_by = ?10""")
                .setParameter(1, s.enabled()).setParameter(2, s.firstMessages()).setParameter(3, s.minMessages())
                .setParameter(4, s.hardBouncePercent()).setParameter(5, s.complaintPercent())
                .setParameter(6, s.minDelivered()).setParameter(7, s.providerRefusalPercent())
                .setParameter(8, s.providerMinAttempts()).setParameter(9, Timestamp.from(clock.instant()))
                .setParameter(10, by).executeUpdate();
    }

    private static boolean truth(Object value) {
        return value instanceof Boolean b ? b : ((Number) value).intValue() != 0;
    }
}
