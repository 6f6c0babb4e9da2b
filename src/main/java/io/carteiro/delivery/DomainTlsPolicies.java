package io.carteiro.delivery;

/**
 * Source of recipient domains' published TLS policies (implemented by the MTA-STS feature). The engine asks once
 * per destination before it opens sessions; an implementation answers from its cache and refreshes in the
 * background where it can, so a slow policy server delays only its own domain. Without any bean, every domain is
 * {@link DomainTlsPolicy.None}.
 */
public interface DomainTlsPolicies {

    DomainTlsPolicy policyFor(String domain);

    /**
     * Called by the engine when a delivery to {@code domain} did not satisfy its policy ({@code testing}: delivered
     * anyway; {@code enforce}: deferred), for reports (TLS-RPT, RFC 8460) and the delivery log.
     */
    default void failed(String domain, String mxHost, String resultType, String detail) {
    }
}
