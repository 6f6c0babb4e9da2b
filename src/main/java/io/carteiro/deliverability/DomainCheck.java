package io.carteiro.deliverability;

import java.time.Instant;
import java.util.List;

/** The checks of one domain, as looked up at {@code checkedAt}. */
public record DomainCheck(String domain, List<CheckItem> checks, Instant checkedAt) {

    /** The worst verdict of all checks. */
    public Verdict overall() {
        Verdict worst = Verdict.PASS;
        for (CheckItem c : checks) {
            worst = worst.worse(c.verdict());
        }
        return worst;
    }

    public long passes() {
        return count(Verdict.PASS);
    }

    public long warnings() {
        return count(Verdict.WARN);
    }

    public long failures() {
        return count(Verdict.FAIL);
    }

    public long count(Verdict verdict) {
        return checks.stream().filter(c -> c.verdict() == verdict).count();
    }
}
