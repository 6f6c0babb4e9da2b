package io.carteiro.subscribers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.Converter;

/** Whether Carteiro may mail a subscriber at all, whatever their lists say. */
public enum SubscriberStatus {
    ACTIVE, BLOCKLISTED, BOUNCED, COMPLAINED;

    @JsonValue
    public String value() {
        return LowerCaseNames.of(this);
    }

    @JsonCreator
    public static SubscriberStatus parse(String text) {
        return LowerCaseNames.parse(SubscriberStatus.class, text, "status");
    }

    @Converter(autoApply = true)
    static class Column extends LowerCaseNames.Column<SubscriberStatus> {
        Column() {
            super(SubscriberStatus.class);
        }
    }
}
