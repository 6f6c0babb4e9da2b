package io.carteiro.bounces;

import java.util.Locale;

/** Where a bounce came from: the engine's own SMTP transaction, a DSN, a feedback report, or a polled mailbox. */
enum BounceSource {
    SMTP, DSN, ARF, MAILBOX;

    String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
