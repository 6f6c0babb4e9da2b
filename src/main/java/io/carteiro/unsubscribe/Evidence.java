package io.carteiro.unsubscribe;

import java.time.Instant;

/** Who did something and from where, as stored with subscriptions and consent events (GDPR Art. 7(1)). */
record Evidence(Instant at, String ip, String userAgent, String page) {

    Evidence {
        ip = cut(ip, 45);
        userAgent = cut(userAgent, 500);
        page = cut(page, 1000);
    }

    private static String cut(String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return value.length() > max ? value.substring(0, max) : value;
    }
}
