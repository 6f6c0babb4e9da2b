package io.carteiro.delivery;

import java.util.List;
import java.util.Set;

/**
 * The loopback network of {@link LoopbackNetwork} with published TLS policies from {@link TestOnlyDomainTlsPolicies}
 * and one certificate the engine trusts (through {@code carteiro.delivery.tls.trusted-certificates}), naming the MX
 * hosts listed in {@link #TRUSTED_NAMES}.
 */
public class MtaStsNetwork extends LoopbackNetwork {

    /** The MX host names the trusted certificate carries. */
    static final List<String> TRUSTED_NAMES = List.of("mx10.enforce-ok.test", "mx20.enforce-wrong-mx.test",
            "mx10.testing-wrong-mx.test");

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(TestOnlyDomainTlsPolicies.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resource.class));
    }

    /** Also makes the trusted certificate. */
    public static class Resource extends LoopbackNetwork.TrustingResource {
        public Resource() {
            super("mx.sts.test", "DNS:" + String.join(",DNS:", TRUSTED_NAMES));
        }
    }
}
