package io.carteiro.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TEST ONLY: published TLS policies that a test sets per domain, standing in for the MTA-STS feature's source so the
 * engine's side of the contract ({@link DomainTlsPolicies}) is tested on its own. An alternative, enabled only by
 * {@link MtaStsNetwork}: every other test runs with the real source (or none).
 */
@Alternative
@ApplicationScoped
public class TestOnlyDomainTlsPolicies implements DomainTlsPolicies {

    /** One call of {@link #failed}. */
    public record Failure(String domain, String mxHost, String resultType, String detail) {
    }

    private final Map<String, DomainTlsPolicy> published = new ConcurrentHashMap<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();

    /** The policy {@code domain} publishes from now on. */
    public void publish(String domain, DomainTlsPolicy policy) {
        published.put(domain, policy);
    }

    @Override
    public DomainTlsPolicy policyFor(String domain) {
        return published.getOrDefault(domain, new DomainTlsPolicy.None());
    }

    @Override
    public void failed(String domain, String mxHost, String resultType, String detail) {
        failures.add(new Failure(domain, mxHost, resultType, detail));
    }

    /** The failures reported for this domain, in order. */
    public List<Failure> failuresOf(String domain) {
        return failures.stream().filter(f -> f.domain().equals(domain)).toList();
    }
}
