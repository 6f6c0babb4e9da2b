package io.carteiro.engagement;

import io.carteiro.lists.ListService;
import io.carteiro.lists.MailingList;
import io.carteiro.lists.Sunset;
import io.carteiro.lists.Tracking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Map;

/**
 * Each list's health (engaged / at risk / dormant) for the pages of other features: the dashboard and the list page
 * include this feature's templates, which read it as {@code inject:listHealth}, so those pages need no code of ours.
 */
@ApplicationScoped
@Named("listHealth")
public class ListHealthView {

    /**
     * One list's health; {@code tracked} is false when the list does not track per subscriber, and then nobody's
     * engagement is known and the counts are zero.
     */
    public record Row(long listId, String name, boolean tracked, long engaged, long atRisk, long dormant,
                      Sunset sunset) {
        public long total() {
            return engaged + atRisk + dormant;
        }
    }

    @Inject
    ListService lists;

    @Inject
    EngagementSegments segments;

    @Inject
    EngagementConfig config;

    /** Every list, by name. */
    @Transactional
    public List<Row> all() {
        Map<Long, EngagementSegments.Health> health = segments.healthOfAll();
        return lists.all().stream().map(l -> row(l, health.get(l.id))).toList();
    }

    /** One list (a zero row when it is gone). */
    @Transactional
    public Row of(long listId) {
        return lists.find(listId).map(l -> row(l, segments.health(listId)))
                .orElse(new Row(listId, "", false, 0, 0, 0, new Sunset(false, Sunset.DEFAULT_MONTHS,
                        Sunset.DEFAULT_GRACE_DAYS, null)));
    }

    public int engagedDays() {
        return config.health().engagedDays();
    }

    public int dormantDays() {
        return config.health().dormantDays();
    }

    private static Row row(MailingList l, EngagementSegments.Health h) {
        EngagementSegments.Health health = h == null ? new EngagementSegments.Health(0, 0, 0) : h;
        return new Row(l.id, l.name, l.tracking == Tracking.SUBSCRIBER, health.engaged(), health.atRisk(),
                health.dormant(), l.sunset());
    }
}
