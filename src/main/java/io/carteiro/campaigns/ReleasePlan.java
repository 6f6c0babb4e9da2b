package io.carteiro.campaigns;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * How many held messages a throttled campaign may release at one tick: the per-hour rate as a token bucket (at most
 * one minute's worth saved up), nothing outside the sending window, and no more than the warm-up cap of the day
 * ({@code start × factor^day}, day 0 being the day the campaign started, in its time zone).
 *
 * @param count         messages to release now
 * @param credit        the bucket after the release (fractions of a message carry over)
 * @param day           the campaign-local day the release counts for
 * @param releasedOnDay messages released on that day including this release
 */
record ReleasePlan(long count, double credit, LocalDate day, int releasedOnDay) {

    /** The state a plan is computed from: what is stored on the campaign row. */
    record Bucket(double credit, Instant lastReleaseAt, LocalDate releasedDay, int releasedOnDay) {
    }

    static ReleasePlan plan(Throttle t, Instant startedAt, Bucket bucket, Instant now) {
        ZoneId zone = t.zone();
        ZonedDateTime local = now.atZone(zone);
        LocalDate today = local.toLocalDate();
        int releasedToday = today.equals(bucket.releasedDay()) ? bucket.releasedOnDay() : 0;
        if (!t.inWindow(local)) {
            return new ReleasePlan(0, 0, today, releasedToday);
        }
        double credit;
        long count;
        if (t.perHour() == null) {
            credit = 0;
            count = Long.MAX_VALUE;
        } else {
            double perSecond = t.perHour() / 3600.0;
            double cap = Math.max(1.0, t.perHour() / 60.0);
            double elapsed = bucket.lastReleaseAt() == null ? 60
                    : Math.max(0, Duration.between(bucket.lastReleaseAt(), now).toMillis() / 1000.0);
            credit = Math.min(cap, bucket.credit() + elapsed * perSecond);
            count = (long) Math.floor(credit);
        }
        if (t.warmupStart() != null) {
            long day = Math.max(0, java.time.temporal.ChronoUnit.DAYS.between(
                    (startedAt == null ? now : startedAt).atZone(zone).toLocalDate(), today));
            double factor = t.warmupFactor() == null ? 1.0 : t.warmupFactor();
            double dailyCap = Math.min(Integer.MAX_VALUE, t.warmupStart() * Math.pow(factor, day));
            count = Math.max(0, Math.min(count, (long) Math.floor(dailyCap) - releasedToday));
        }
        if (count == Long.MAX_VALUE) {
            return new ReleasePlan(count, 0, today, releasedToday);
        }
        return new ReleasePlan(count, Math.max(0, credit - count), today, (int) Math.min(Integer.MAX_VALUE,
                releasedToday + count));
    }

    /** What happened after release: {@code released} may be fewer than planned when the queue ran short. */
    ReleasePlan actual(long released) {
        if (count == Long.MAX_VALUE) {
            return new ReleasePlan(released, 0, day, releasedOnDay);
        }
        return new ReleasePlan(released, credit, day, (int) (releasedOnDay - count + released));
    }

    /** A campaign's throttle settings. */
    record Throttle(Integer perHour, Set<DayOfWeek> days, LocalTime windowStart, LocalTime windowEnd, ZoneId zone,
                    Integer warmupStart, Double warmupFactor) {

        static Throttle of(Campaign c) {
            return new Throttle(c.perHour, parseDays(c.windowDays), c.windowStart, c.windowEnd,
                    ZoneId.of(c.timeZone == null ? "UTC" : c.timeZone), c.warmupStart,
                    c.warmupFactor == null ? null : c.warmupFactor.doubleValue());
        }

        boolean inWindow(ZonedDateTime local) {
            if (days != null && !days.isEmpty() && !days.contains(local.getDayOfWeek())) {
                return false;
            }
            if (windowStart == null || windowEnd == null) {
                return true;
            }
            LocalTime time = local.toLocalTime();
            return windowStart.isBefore(windowEnd)
                    ? !time.isBefore(windowStart) && time.isBefore(windowEnd)
                    : !time.isBefore(windowStart) || time.isBefore(windowEnd); // a window across midnight
        }

        /** Parses {@code MON,TUE,...}; throws IllegalArgumentException naming a bad day. */
        static Set<DayOfWeek> parseDays(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            for (String part : text.split(",")) {
                String p = part.strip().toUpperCase(Locale.ROOT);
                DayOfWeek day = null;
                for (DayOfWeek d : DayOfWeek.values()) {
                    if (d.name().startsWith(p) && p.length() >= 3) {
                        day = d;
                    }
                }
                if (day == null) {
                    throw new IllegalArgumentException("'" + part.strip() + "' is not a day of the week (MON..SUN)");
                }
                days.add(day);
            }
            return days;
        }
    }
}
