package io.carteiro.web;

import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateExtension;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The one way pages show an instant (issue 15.8): {@code {message.sentAt.time}} writes a {@code <time>} element whose
 * {@code datetime} is the exact UTC value and whose text, for a page without script, is the time in UTC with the zone
 * named. {@code /static/times.js} then shows it in the browser's time zone, relative when it is recent ("3 minutes
 * ago"), with the exact local and UTC time in its title (shown on hover). A missing instant writes nothing.
 */
@TemplateExtension
public final class TimeTemplateExtensions {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private TimeTemplateExtensions() {
    }

    /** The instant as a {@code <time>} element (see the type's comment); empty for null. */
    public static RawString time(Instant instant) {
        if (instant == null) {
            return new RawString("");
        }
        // nothing here comes from a user: the formatter writes digits, dashes, colons and "UTC"
        return new RawString("<time datetime=\"" + instant + "\" title=\"" + SECONDS.format(instant) + "\">"
                + MINUTES.format(instant) + "</time>");
    }
}
