package io.carteiro.subscribers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.Converter;

/** Through which door a subscription or consent change came in; part of the consent evidence. */
public enum ConsentSource {
    ADMIN, IMPORT, API, FORM, BOUNCE, MAILTO;

    @JsonValue
    public String value() {
        return LowerCaseNames.of(this);
    }

    @JsonCreator
    public static ConsentSource parse(String text) {
        return LowerCaseNames.parse(ConsentSource.class, text, "source");
    }

    @Converter(autoApply = true)
    static class Column extends LowerCaseNames.Column<ConsentSource> {
        Column() {
            super(ConsentSource.class);
        }
    }
}
