package io.carteiro.admin;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API token may do: {@code read} any GET, {@code write} any other change, {@code send} whatever sends mail
 * (a campaign's schedule, resume, resend and test, and {@code POST /api/messages}; routes marked
 * {@link io.carteiro.web.SendsMail}). Sessions and account passwords may do all three.
 */
public enum ApiScope {
    READ, WRITE, SEND;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ApiScope> parse(String text) {
        for (ApiScope scope : values()) {
            if (scope.wireName().equals(text)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
