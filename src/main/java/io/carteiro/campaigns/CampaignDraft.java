package io.carteiro.campaigns;

import java.math.BigDecimal;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

/**
 * A campaign as the editor submits it (API body or compose form); every field is checked before anything is stored.
 *
 * @param fromEmail       sender address; when null, the first target list's default From is used
 * @param text            text body template, or null to derive it from the HTML
 * @param attributeFilter subscriber attributes that must all match (equality), or null
 * @param windowDays      sending days such as {@code MON,TUE,WED,THU,FRI}, or null for every day
 * @param timeZone        zone of the sending window and of warm-up days (defaults to UTC)
 */
record CampaignDraft(String name, String subject, String fromEmail, String fromName, String replyTo,
                     List<Long> listIds, String html, String text, Long layoutId,
                     Map<String, String> attributeFilter, Integer perHour, String windowDays,
                     LocalTime windowStart, LocalTime windowEnd, String timeZone, Integer warmupStart,
                     BigDecimal warmupFactor) {
}
