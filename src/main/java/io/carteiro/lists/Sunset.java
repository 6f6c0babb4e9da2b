package io.carteiro.lists;

import java.util.Optional;

/**
 * A list's hygiene rule, off by default: subscribers with no human click or open for {@code months} get the
 * re-engagement campaign {@code campaignId} once, and are unsubscribed (consent event {@code inactive}) when they still
 * have none {@code graceDays} later. Machine clicks and opens never count as engagement.
 */
public record Sunset(boolean enabled, int months, int graceDays, Long campaignId) {

    public static final int DEFAULT_MONTHS = 12;
    public static final int DEFAULT_GRACE_DAYS = 30;
    public static final int MAX_MONTHS = 120;
    public static final int MAX_GRACE_DAYS = 365;

    /** What is wrong with the rule, naming the field; empty when it can be saved. */
    public Optional<String[]> problem() {
        if (months < 1 || months > MAX_MONTHS) {
            return Optional.of(new String[]{"months", "months must be between 1 and " + MAX_MONTHS});
        }
        if (graceDays < 1 || graceDays > MAX_GRACE_DAYS) {
            return Optional.of(new String[]{"graceDays", "graceDays must be between 1 and " + MAX_GRACE_DAYS});
        }
        if (campaignId != null && campaignId < 1) {
            return Optional.of(new String[]{"campaignId", "campaignId must name a campaign"});
        }
        if (enabled && campaignId == null) {
            return Optional.of(new String[]{"campaignId",
                    "the sunset rule needs a re-engagement campaign (campaignId) before it can be turned on"});
        }
        return Optional.empty();
    }
}
