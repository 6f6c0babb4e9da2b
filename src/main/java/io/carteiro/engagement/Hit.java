package io.carteiro.engagement;

import java.time.Instant;

/** One request for a tracked link or open image, as it arrived: its token, when, and what the request said. */
record Hit(TrackingToken token, Instant at, int signals) {
}
