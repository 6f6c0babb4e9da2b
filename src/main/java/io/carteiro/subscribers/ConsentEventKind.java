package io.carteiro.subscribers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.Converter;

/** What happened to a subscriber's consent, as written in the consent log. */
public enum ConsentEventKind {
    SUBSCRIBED, CONFIRMED, UNCONFIRMED, UNSUBSCRIBED, REMOVED, DELETED, STATUS_CHANGED;

    @JsonValue
    public String value() {
        return LowerCaseNames.of(this);
    }

    @JsonCreator
    public static ConsentEventKind parse(String text) {
        return LowerCaseNames.parse(ConsentEventKind.class, text, "event");
    }

    @Converter(autoApply = true)
    static class Column extends LowerCaseNames.Column<ConsentEventKind> {
        Column() {
            super(ConsentEventKind.class);
        }
    }
}
