package io.carteiro.deliverability;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The thresholds of the reputation brakes, set on the desk's settings page.
 *
 * @param firstMessages          the hard-bounce brake looks at a campaign's first this many final outcomes
 * @param minMessages            and judges once at least this many of them are in
 * @param hardBouncePercent      it pauses when more than this share of them bounced hard
 * @param complaintPercent       the complaint brake pauses when complaints exceed this share of delivered messages
 *                               (Gmail's and Yahoo's limit is 0.3%)
 * @param minDelivered           once the campaign delivered at least this many
 * @param providerRefusalPercent the provider brake pauses when one provider refused (421, 4.7.x, 5.7.x) more than
 *                               this share of the campaign's recent attempts to it
 * @param providerMinAttempts    once it had at least this many recent attempts
 */
record BrakeSettings(boolean enabled, int firstMessages, int minMessages, BigDecimal hardBouncePercent,
                     BigDecimal complaintPercent, int minDelivered, BigDecimal providerRefusalPercent,
                     int providerMinAttempts) {

    static final BrakeSettings DEFAULTS = new BrakeSettings(true, 1000, 100, new BigDecimal("5.00"),
            new BigDecimal("0.300"), 1000, new BigDecimal("50.00"), 50);

    /** The settings, or what is wrong with them (the form's field and a sentence). */
    static Optional<String[]> problem(BrakeSettings s) {
        if (s.firstMessages() < 10 || s.firstMessages() > 1_000_000) {
            return Optional.of(new String[]{"firstMessages", "First messages must be 10 to 1,000,000."});
        }
        if (s.minMessages() < 1 || s.minMessages() > s.firstMessages()) {
            return Optional.of(new String[]{"minMessages", "The minimum must be 1 to the number of first messages."});
        }
        if (outOfRange(s.hardBouncePercent(), "0.1", "100")) {
            return Optional.of(new String[]{"hardBouncePercent", "The hard-bounce share must be 0.1 to 100 %."});
        }
        if (outOfRange(s.complaintPercent(), "0.001", "100")) {
            return Optional.of(new String[]{"complaintPercent", "The complaint share must be 0.001 to 100 %."});
        }
        if (s.minDelivered() < 1 || s.minDelivered() > 100_000_000) {
            return Optional.of(new String[]{"minDelivered", "The delivered minimum must be 1 to 100,000,000."});
        }
        if (outOfRange(s.providerRefusalPercent(), "1", "100")) {
            return Optional.of(new String[]{"providerRefusalPercent", "The refusal share must be 1 to 100 %."});
        }
        if (s.providerMinAttempts() < 1 || s.providerMinAttempts() > 1_000_000) {
            return Optional.of(new String[]{"providerMinAttempts", "The attempts minimum must be 1 to 1,000,000."});
        }
        return Optional.empty();
    }

    private static boolean outOfRange(BigDecimal value, String min, String max) {
        return value == null || value.compareTo(new BigDecimal(min)) < 0 || value.compareTo(new BigDecimal(max)) > 0;
    }
}
