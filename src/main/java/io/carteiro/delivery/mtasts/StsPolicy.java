package io.carteiro.delivery.mtasts;

import io.carteiro.delivery.DomainTlsPolicy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** One parsed MTA-STS policy (RFC 8461 §3.2): its mode, the allowed MX patterns and how long it may be cached. */
record StsPolicy(Mode mode, List<String> mxPatterns, long maxAgeSeconds) {

    /** RFC 8461 §3.2: the largest max_age a policy may have (about a year). */
    static final long MAX_AGE_LIMIT = 31_557_600L;

    StsPolicy {
        mxPatterns = List.copyOf(mxPatterns);
    }

    /** The policy's {@code mode}, as written in the policy file. */
    enum Mode {
        ENFORCE, TESTING, NONE;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Mode> fromWire(String text) {
            for (Mode mode : values()) {
                if (mode.wire().equals(text)) {
                    return Optional.of(mode);
                }
            }
            return Optional.empty();
        }
    }

    /** What the engine applies: {@code none} is the same as no policy (RFC 8461 §5). */
    DomainTlsPolicy forEngine() {
        switch (mode) {
            case ENFORCE:
                return new DomainTlsPolicy.Enforce(mxPatterns);
            case TESTING:
                return new DomainTlsPolicy.Testing(mxPatterns);
            default:
                return new DomainTlsPolicy.None();
        }
    }
}
