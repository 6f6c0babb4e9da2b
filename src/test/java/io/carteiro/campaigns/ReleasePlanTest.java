package io.carteiro.campaigns;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReleasePlanTest {

    static final ZoneId LISBON = ZoneId.of("Europe/Lisbon");
    // Wednesday 2026-12-02 10:00 in Lisbon (UTC+0 in winter)
    static final Instant WEDNESDAY_10 = Instant.parse("2026-12-02T10:00:00Z");

    static ReleasePlan.Throttle perHour(int n) {
        return new ReleasePlan.Throttle(n, null, null, null, LISBON, null, null);
    }

    static ReleasePlan.Bucket empty() {
        return new ReleasePlan.Bucket(0, null, null, 0);
    }

    @Test
    void perHourShouldReleaseAMinutesWorthAtFirstAndThenAccrueWithTime() {
        ReleasePlan first = ReleasePlan.plan(perHour(600), WEDNESDAY_10, empty(), WEDNESDAY_10);
        assertEquals(10, first.count());
        ReleasePlan next = ReleasePlan.plan(perHour(600), WEDNESDAY_10,
                new ReleasePlan.Bucket(first.credit(), WEDNESDAY_10, first.day(), first.releasedOnDay()),
                WEDNESDAY_10.plusSeconds(30));
        assertEquals(5, next.count());
    }

    @Test
    void aSlowRateShouldCarryFractionsOver() {
        ReleasePlan.Bucket bucket = new ReleasePlan.Bucket(0, WEDNESDAY_10, null, 0);
        ReleasePlan plan = ReleasePlan.plan(perHour(36), WEDNESDAY_10, bucket, WEDNESDAY_10.plusSeconds(50));
        assertEquals(0, plan.count());
        ReleasePlan later = ReleasePlan.plan(perHour(36), WEDNESDAY_10,
                new ReleasePlan.Bucket(plan.credit(), WEDNESDAY_10.plusSeconds(50), plan.day(), 0),
                WEDNESDAY_10.plusSeconds(100));
        assertEquals(1, later.count());
    }

    @Test
    void nothingShouldBeReleasedOutsideTheSendingWindow() {
        var weekdays = new ReleasePlan.Throttle(null, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                LocalTime.of(8, 0), LocalTime.of(20, 0), LISBON, null, null);
        assertEquals(Long.MAX_VALUE, ReleasePlan.plan(weekdays, WEDNESDAY_10, empty(), WEDNESDAY_10).count());
        assertEquals(0, ReleasePlan.plan(weekdays, WEDNESDAY_10, empty(),
                Instant.parse("2026-12-02T21:00:00Z")).count());
        assertEquals(0, ReleasePlan.plan(weekdays, WEDNESDAY_10, empty(),
                Instant.parse("2026-12-05T10:00:00Z")).count());
    }

    @Test
    void warmUpShouldCapEachDayAtStartTimesFactorToTheDay() {
        var warmup = new ReleasePlan.Throttle(null, null, null, null, LISBON, 100, 2.0);
        assertEquals(100, ReleasePlan.plan(warmup, WEDNESDAY_10, empty(), WEDNESDAY_10).count());
        var bucket = new ReleasePlan.Bucket(0, WEDNESDAY_10, WEDNESDAY_10.atZone(LISBON).toLocalDate(), 100);
        assertEquals(0, ReleasePlan.plan(warmup, WEDNESDAY_10, bucket, WEDNESDAY_10.plusSeconds(60)).count());
        Instant dayTwo = Instant.parse("2026-12-04T09:00:00Z");
        assertEquals(400, ReleasePlan.plan(warmup, WEDNESDAY_10, bucket, dayTwo).count());
    }

    @Test
    void badDayNamesShouldBeRefusedByName() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ReleasePlan.Throttle.parseDays("MON,Funday"));
        assertEquals("'Funday' is not a day of the week (MON..SUN)", e.getMessage());
    }
}
