package io.carteiro.subscribers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a suppression entry matches: one address, a whole domain, or the hash of an erased address. */
public enum SuppressionKind {
    ADDRESS, DOMAIN, ERASED;

    @JsonValue
    public String value() {
        return LowerCaseNames.of(this);
    }

    @JsonCreator
    public static SuppressionKind parse(String text) {
        return LowerCaseNames.parse(SuppressionKind.class, text, "kind");
    }
}
