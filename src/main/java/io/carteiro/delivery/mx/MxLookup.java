package io.carteiro.delivery.mx;

import java.util.List;

/** The answer to "where does mail for this domain go": exchangers, a permanent failure, or try later. */
public sealed interface MxLookup permits MxLookup.Found, MxLookup.Permanent, MxLookup.Temporary {

    /** Exchangers in the order to try them (preference, equal preferences shuffled). */
    record Found(String domain, List<Exchanger> exchangers, boolean implicitMx) implements MxLookup {
        public Found {
            exchangers = List.copyOf(exchangers);
        }
    }

    /**
     * Mail for this domain can never be delivered: {@code 5.1.2} (no such domain), {@code 5.1.10} (null MX, RFC 7505)
     * or {@code 5.4.4} (no usable exchanger address).
     */
    record Permanent(String enhancedStatus, String reason) implements MxLookup {
    }

    /** DNS trouble (SERVFAIL, timeout, refused): try again later. */
    record Temporary(String reason) implements MxLookup {
    }
}
