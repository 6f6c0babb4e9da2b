package io.carteiro.deliverability;

import java.util.Locale;

/** How one check came out, worst last: the order is used to take the worst of several findings. */
public enum Verdict {
    PASS, WARN, FAIL;

    /** As the API writes it: {@code pass}, {@code warn}, {@code fail}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    Verdict worse(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
