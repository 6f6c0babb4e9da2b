package io.carteiro.subscribers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why an address or domain must never be mailed (or re-added) again. */
public enum SuppressionReason {
    MANUAL, BOUNCE, COMPLAINT, UNSUBSCRIBE, IMPORT, ERASURE;

    @JsonValue
    public String value() {
        return LowerCaseNames.of(this);
    }

    @JsonCreator
    public static SuppressionReason parse(String text) {
        return LowerCaseNames.parse(SuppressionReason.class, text, "reason");
    }
}
