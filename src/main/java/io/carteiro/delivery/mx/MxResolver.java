package io.carteiro.delivery.mx;

/** Finds the exchangers of a recipient domain (RFC 5321 §5.1, RFC 7505); the engine's only view of DNS. */
public interface MxResolver {

    /** Looks up (or answers from cache) the exchangers of an A-label domain. Never throws for DNS trouble. */
    MxLookup resolve(String domain);
}
