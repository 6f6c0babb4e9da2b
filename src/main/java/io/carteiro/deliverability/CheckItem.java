package io.carteiro.deliverability;

/**
 * One line of a domain check or a pre-send checklist.
 *
 * @param name    a stable name ({@code spf}, {@code dkim}, {@code dmarc}, {@code bounce-mx}, {@code ptr},
 *                {@code ehlo}, {@code mta-sts}, {@code tls-rpt}, {@code bimi}; checklist items have their own)
 * @param detail  what was found, in a sentence or a few
 * @param fix     what to publish or change (the exact record where there is one), or null when nothing is to do
 */
public record CheckItem(String name, Verdict verdict, String detail, String fix) {
}
