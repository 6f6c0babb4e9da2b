package io.carteiro.delivery.mtasts;

import io.carteiro.delivery.DomainTlsPolicies;
import io.carteiro.delivery.DomainTlsPolicy;
import io.carteiro.delivery.LoopbackDnsServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** {@code carteiro.delivery.mta-sts.enabled=false}: no policy is looked up, none is handed to the engine. */
@QuarkusTest
@TestProfile(MtaStsDisabledTest.Disabled.class)
class MtaStsDisabledTest {

    /** The MTA-STS network with the feature switched off. */
    public static class Disabled extends MtaStsNetwork {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("carteiro.delivery.mta-sts.enabled", "false");
            return config;
        }
    }

    LoopbackDnsServer dns;
    TestCa ca;
    PolicyServer server;

    @Inject
    DomainTlsPolicies policies;

    @Test
    void disabledFeatureShouldAskNobodyAndApplyNothing() throws Exception {
        String domain = "off.sts.test";
        dns.txt("_mta-sts." + domain, "v=STSv1; id=1;").a("mta-sts." + domain, "127.0.0.1");
        server.certificate("mta-sts." + domain, ca.issue("mta-sts." + domain)).answer("mta-sts." + domain,
                PolicyServer.Answer.policy("version: STSv1\nmode: enforce\nmx: mx." + domain + "\nmax_age: 600\n"));

        assertInstanceOf(DomainTlsPolicy.None.class, policies.policyFor(domain));
        given().auth().preemptive().basic(MtaStsPoliciesTest.USER, MtaStsPoliciesTest.PASSWORD)
                .when().get("/api/delivery/mta-sts/" + domain)
                .then().statusCode(200).body("applied", equalTo("disabled"));
        assertEquals(0, dns.queries("_mta-sts." + domain, "TXT"));
        assertEquals(0, server.requests("mta-sts." + domain));
    }
}
