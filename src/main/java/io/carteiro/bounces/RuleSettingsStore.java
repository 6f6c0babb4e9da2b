package io.carteiro.bounces;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads and saves the rule settings in {@code app_setting}, falling back to the configured defaults. */
@ApplicationScoped
class RuleSettingsStore {

    static final String HARD = "bounces.hard-bounce-marks-bounced";
    static final String THRESHOLD = "bounces.soft-bounce-threshold";
    static final String WINDOW = "bounces.soft-bounce-window-days";
    static final String COMPLAINT = "bounces.complaint-unsubscribes";

    private final EntityManager em;
    private final BounceConfig.Rules defaults;

    RuleSettingsStore(EntityManager em, BounceConfig config) {
        this.em = em;
        this.defaults = config.rules();
    }

    @Transactional
    RuleSettings current() {
        Map<String, String> stored = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select name, value from app_setting where name like 'bounces.%'")
                .getResultList();
        for (Object[] row : rows) {
            stored.put((String) row[0], (String) row[1]);
        }
        try {
            return new RuleSettings(
                    bool(stored.get(HARD), defaults.hardBounceMarksBounced()),
                    integer(stored.get(THRESHOLD), defaults.softBounceThreshold()),
                    integer(stored.get(WINDOW), defaults.softBounceWindowDays()),
                    bool(stored.get(COMPLAINT), defaults.complaintUnsubscribes()));
        } catch (IllegalArgumentException e) {
            return defaults();
        }
    }

    RuleSettings defaults() {
        return new RuleSettings(defaults.hardBounceMarksBounced(), defaults.softBounceThreshold(),
                defaults.softBounceWindowDays(), defaults.complaintUnsubscribes());
    }

    @Transactional
    RuleSettings save(RuleSettings settings) {
        put(HARD, Boolean.toString(settings.hardBounceMarksBounced()));
        put(THRESHOLD, Integer.toString(settings.softBounceThreshold()));
        put(WINDOW, Integer.toString(settings.softBounceWindowDays()));
        put(COMPLAINT, Boolean.toString(settings.complaintUnsubscribes()));
        return settings;
    }

    private void put(String name, String value) {
        em.createNativeQuery("insert into app_setting (name, value) values (:name, :value) "
                        + "on duplicate key update value = :value")
                .setParameter("name", name).setParameter("value", value).executeUpdate();
    }

    private static boolean bool(String value, boolean fallback) {
        return value == null ? fallback : Boolean.parseBoolean(value);
    }

    private static int integer(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
