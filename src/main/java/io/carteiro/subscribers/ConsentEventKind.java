package io.carteiro.subscribers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.Converter;

/**
 * What happened to a subscriber's consent, as written in the consent log. {@code INACTIVE} is an unsubscribe by the
 * list's sunset rule (no human engagement for months, then no answer to a re-engagement message);
 * {@code TRACKING_REFUSED} / {@code TRACKING_ALLOWED} record the subscriber's choice about click and open tracking.
 */
public enum ConsentEventKind {
    SUBSCRIBED, CONFIRMED, UNCONFIRMED, UNSUBSCRIBED, REMOVED, DELETED, STATUS_CHANGED, INACTIVE, TRACKING_REFUSED,
    TRACKING_ALLOWED;

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
