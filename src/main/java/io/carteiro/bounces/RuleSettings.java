package io.carteiro.bounces;

/**
 * The list-cleaning rules as an admin has set them.
 *
 * @param hardBounceMarksBounced one hard bounce marks the subscriber bounced on all lists
 * @param softBounceThreshold    soft bounces on distinct campaigns that mark a subscriber bounced
 * @param softBounceWindowDays   the window in which soft bounces are counted
 * @param complaintUnsubscribes  a complaint unsubscribes from all lists and suppresses the address
 */
record RuleSettings(boolean hardBounceMarksBounced, int softBounceThreshold, int softBounceWindowDays,
                    boolean complaintUnsubscribes) {

    static final int MAX_THRESHOLD = 100;
    static final int MAX_WINDOW_DAYS = 365;

    /** Refuses values that make no sense, naming the field. */
    RuleSettings {
        if (softBounceThreshold < 1 || softBounceThreshold > MAX_THRESHOLD) {
            throw new IllegalArgumentException("softBounceThreshold must be between 1 and " + MAX_THRESHOLD);
        }
        if (softBounceWindowDays < 1 || softBounceWindowDays > MAX_WINDOW_DAYS) {
            throw new IllegalArgumentException("softBounceWindowDays must be between 1 and " + MAX_WINDOW_DAYS);
        }
    }
}
