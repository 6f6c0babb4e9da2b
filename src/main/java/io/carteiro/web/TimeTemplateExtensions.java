package io.carteiro.web;

import io.quarkus.qute.TemplateExtension;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Template helper: {@code {token.lastUsedAt.in(zone)}} shows an instant as local date and time, to the minute. */
@TemplateExtension
public final class TimeTemplateExtensions {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private TimeTemplateExtensions() {
    }

    static String in(Instant instant, ZoneId zone) {
        return instant == null ? "" : MINUTES.format(instant.atZone(zone));
    }
}
