package io.carteiro.delivery.mtasts;

import java.time.Instant;

/** A policy as cached in {@code mta_sts_policy}: the policy, the TXT id it was fetched under, and its times. */
record CachedPolicy(String domain, String id, StsPolicy policy, Instant fetchedAt, Instant expiresAt,
                    Instant checkedAt, String lastError, Instant lastErrorAt) {

    /** RFC 8461 §5.1: an expired policy is not applied, even when no newer one can be had. */
    boolean inForce(Instant now) {
        return now.isBefore(expiresAt);
    }
}
