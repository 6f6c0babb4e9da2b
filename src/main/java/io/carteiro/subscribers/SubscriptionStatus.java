package io.carteiro.subscribers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.Converter;

/** Where a subscriber stands on one list: waiting to confirm, confirmed, or gone. */
public enum SubscriptionStatus {
    UNCONFIRMED, CONFIRMED, UNSUBSCRIBED;

    @JsonValue
    public String value() {
        return LowerCaseNames.of(this);
    }

    @JsonCreator
    public static SubscriptionStatus parse(String text) {
        return LowerCaseNames.parse(SubscriptionStatus.class, text, "status");
    }

    @Converter(autoApply = true)
    static class Column extends LowerCaseNames.Column<SubscriptionStatus> {
        Column() {
            super(SubscriptionStatus.class);
        }
    }
}
