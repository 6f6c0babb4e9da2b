package io.carteiro.subscribers;

/**
 * Who or what is behind a consent change and where it came from; stored on the subscription and in the consent log.
 *
 * @param legalBasis the basis the admin states for an import (GDPR Art. 6), null otherwise
 * @param actor      the signed-in admin, or null for the subscriber themselves
 * @param detail     a short free-text note for the log (e.g. "one-click unsubscribe")
 * @param page       the address of the form a subscriber used, stored on a new subscription; null otherwise
 */
public record ConsentEvidence(ConsentSource source, String ip, String userAgent, String legalBasis, String actor,
                              String detail, String page) {

    public ConsentEvidence {
        if (source == null) {
            throw new IllegalArgumentException("a consent source is required");
        }
        ip = Suppressions.truncate(ip, 45);
        userAgent = Suppressions.truncate(userAgent, 500);
        legalBasis = Suppressions.truncate(legalBasis, 200);
        actor = Suppressions.truncate(actor, 320);
        detail = Suppressions.truncate(detail, 1000);
        page = Suppressions.truncate(page, 1000);
    }

    public static ConsentEvidence of(ConsentSource source, String actor, String ip, String userAgent) {
        return new ConsentEvidence(source, ip, userAgent, null, actor, null, null);
    }

    public ConsentEvidence withDetail(String note) {
        return new ConsentEvidence(source, ip, userAgent, legalBasis, actor, note, page);
    }

    /** The same evidence with the legal basis an admin stated for an import. */
    public ConsentEvidence withLegalBasis(String basis) {
        return new ConsentEvidence(source, ip, userAgent, basis, actor, detail, page);
    }

    /** The same evidence with the address of the subscription form. */
    public ConsentEvidence withPage(String formPage) {
        return new ConsentEvidence(source, ip, userAgent, legalBasis, actor, detail, formPage);
    }
}
