package io.carteiro.engagement;

/** Whether a hit was a person's, and why it was judged so; stored on the hit. */
record Verdict(boolean human, Reason reason) {

    static final Verdict PERSON = new Verdict(true, Reason.PERSON);

    static Verdict machine(Reason reason) {
        return new Verdict(false, reason);
    }

    /** Why; the column value is the lower-case name. */
    enum Reason {
        /** No sign of a machine. */
        PERSON,
        /** A HEAD request: browsers following a link send GET. */
        HEAD,
        /** No User-Agent header at all. */
        NO_AGENT,
        /** The user agent of a scanner, link previewer, HTTP library or headless browser. */
        SCANNER_AGENT,
        /** From an address range of a link scanner. */
        SCANNER_ADDRESS,
        /** A prefetch or preview the client announced (Purpose / Sec-Purpose / X-Moz). */
        PREFETCH,
        /** An open fetched by a mail privacy proxy (Apple Mail Privacy Protection) for every message. */
        PRIVACY_PROXY,
        /** The message's invisible decoy link, which no person can click. */
        DECOY,
        /** Close in time to a hit on the same message's decoy link. */
        NEAR_DECOY,
        /** Within seconds of sending: a scanner at delivery, before anyone could have read the message. */
        TOO_SOON,
        /** A GET right after a HEAD of the same link by the same message. */
        AFTER_HEAD,
        /** Several different links of the message within a second or two. */
        LINK_BURST;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Reason ofColumn(String column) {
            return valueOf(column.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
