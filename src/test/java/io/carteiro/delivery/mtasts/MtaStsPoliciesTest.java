package io.carteiro.delivery.mtasts;

import io.carteiro.delivery.DomainTlsPolicies;
import io.carteiro.delivery.DomainTlsPolicy;
import io.carteiro.delivery.LoopbackDnsServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MTA-STS as the engine sees it (through {@link DomainTlsPolicies}) and as an operator sees it (the API), against a
 * real DNS server and a real HTTPS policy server on loopback whose certificates come from a test CA.
 */
@QuarkusTest
@TestProfile(MtaStsNetwork.class)
class MtaStsPoliciesTest {

    static final String USER = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";
    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final AtomicLong DOMAINS = new AtomicLong(System.nanoTime() % 1_000_000);

    LoopbackDnsServer dns;
    TestCa ca;
    PolicyServer server;

    @Inject
    DomainTlsPolicies policies;

    @Test
    void enforcePolicyShouldBeFetchedAndHandedToTheEngine() throws Exception {
        String domain = publish("enforce", "v=STSv1; id=20261201T1;",
                "version: STSv1\r\nmode: enforce\r\nmx: mx1.%1$s\r\nmx: *.mx.%1$s\r\nmax_age: 86400\r\n");

        DomainTlsPolicy policy = policies.policyFor(domain);

        DomainTlsPolicy.Enforce enforce = assertInstanceOf(DomainTlsPolicy.Enforce.class, policy);
        assertEquals(List.of("mx1." + domain, "*.mx." + domain), enforce.mxPatterns());
        assertTrue(policy.allowsMx("a.mx." + domain));
        assertFalse(policy.allowsMx("mx.attacker.test"));
        JsonPath report = report(domain);
        assertEquals("enforce", report.getString("applied"));
        assertEquals("20261201T1", report.getString("cached.id"));
        assertEquals(86400, report.getLong("cached.maxAgeSeconds"));
    }

    @Test
    void testingPolicyShouldBeHandedOverAsTesting() throws Exception {
        String domain = publish("testing", "v=STSv1; id=1;",
                "version: STSv1\nmode: testing\nmx: mx.%1$s\nmax_age: 3600\n");

        DomainTlsPolicy.Testing testing = assertInstanceOf(DomainTlsPolicy.Testing.class, policies.policyFor(domain));
        assertEquals(List.of("mx." + domain), testing.mxPatterns());
    }

    @Test
    void noneModeShouldBeCachedButApplyNothing() throws Exception {
        String domain = publish("none", "v=STSv1; id=gone1;", "version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n");

        assertInstanceOf(DomainTlsPolicy.None.class, policies.policyFor(domain));
        assertEquals("none", report(domain).getString("cached.mode"));
    }

    @Test
    void domainWithoutTxtRecordShouldHaveNoPolicyAndNoFetch() throws Exception {
        String domain = next("plain");
        dns.a("mta-sts." + domain, "127.0.0.1");
        server.certificate("mta-sts." + domain, ca.issue("mta-sts." + domain))
                .answer("mta-sts." + domain, PolicyServer.Answer.policy(enforcePolicy(domain)));

        assertInstanceOf(DomainTlsPolicy.None.class, policies.policyFor(domain));
        assertEquals(0, server.requests("mta-sts." + domain));
        assertNull(report(domain).get("cached"));
    }

    @Test
    void newTxtIdShouldFetchThePolicyAgainAndTheSameIdShouldNot() throws Exception {
        String domain = publish("change", "v=STSv1; id=first;", enforcePolicy("%1$s"));
        assertInstanceOf(DomainTlsPolicy.Enforce.class, policies.policyFor(domain));
        int txtQueries = dns.queries("_mta-sts." + domain, "TXT");
        awaitTrue(() -> {
            policies.policyFor(domain);
            return dns.queries("_mta-sts." + domain, "TXT") >= txtQueries + 3;
        }, "the TXT record looked at again");
        assertEquals(1, server.requests("mta-sts." + domain), "same id: the policy is not fetched again");

        dns.forget("_mta-sts." + domain).txt("_mta-sts." + domain, "v=STSv1; id=second;");
        server.answer("mta-sts." + domain, PolicyServer.Answer.policy(
                "version: STSv1\r\nmode: testing\r\nmx: new-mx." + domain + "\r\nmax_age: 86400\r\n"));

        DomainTlsPolicy changed = await(() -> policies.policyFor(domain), p -> p instanceof DomainTlsPolicy.Testing,
                "the policy of the new id");
        assertEquals(List.of("new-mx." + domain), ((DomainTlsPolicy.Testing) changed).mxPatterns());
        assertEquals(2, server.requests("mta-sts." + domain));
        assertEquals("second", report(domain).getString("cached.id"));
    }

    @Test
    void failedRefreshShouldKeepTheCachedPolicyInForce() throws Exception {
        String domain = publish("keep", "v=STSv1; id=a1;", enforcePolicy("%1$s"));
        assertInstanceOf(DomainTlsPolicy.Enforce.class, policies.policyFor(domain));

        dns.forget("_mta-sts." + domain).txt("_mta-sts." + domain, "v=STSv1; id=a2;");
        server.answer("mta-sts." + domain, new PolicyServer.Answer(500, "text/plain", new byte[]{'x'}, false,
                Map.of()));
        policies.policyFor(domain);
        JsonPath report = await(() -> report(domain), r -> r.getString("cached.lastError") != null,
                "the failed refresh recorded");

        assertTrue(report.getString("cached.lastError").contains("HTTP 500"), report.getString("cached.lastError"));
        assertEquals("a1", report.getString("cached.id"));
        DomainTlsPolicy.Enforce still = assertInstanceOf(DomainTlsPolicy.Enforce.class, policies.policyFor(domain));
        assertEquals(List.of("mx." + domain), still.mxPatterns());
        awaitFailure(domain, "sts-policy-fetch-error");
    }

    @Test
    void vanishedTxtRecordShouldKeepTheCachedPolicyInForce() throws Exception {
        String domain = publish("vanish", "v=STSv1; id=v1;", enforcePolicy("%1$s"));
        assertInstanceOf(DomainTlsPolicy.Enforce.class, policies.policyFor(domain));
        dns.forget("_mta-sts." + domain);
        int txtQueries = dns.queries("_mta-sts." + domain, "TXT");

        awaitTrue(() -> {
            policies.policyFor(domain);
            return dns.queries("_mta-sts." + domain, "TXT") >= txtQueries + 2;
        }, "the vanished TXT record asked for");

        assertInstanceOf(DomainTlsPolicy.Enforce.class, policies.policyFor(domain));
    }

    @Test
    void unreachableAddressOfThePolicyHostShouldGiveWayToTheNext() throws Exception {
        String domain = next("twoaddresses");
        // nothing listens on 127.0.0.250: the connection is refused, and the host's second address serves the policy
        dns.txt("_mta-sts." + domain, "v=STSv1; id=n1;").a("mta-sts." + domain, "127.0.0.250")
                .a("mta-sts." + domain, "127.0.0.1");
        server.certificate("mta-sts." + domain, ca.issue("mta-sts." + domain))
                .answer("mta-sts." + domain, PolicyServer.Answer.policy(enforcePolicy(domain)));

        assertInstanceOf(DomainTlsPolicy.Enforce.class, policies.policyFor(domain));
    }

    @Test
    void certificateForAnotherNameShouldBeRefused() throws Exception {
        String domain = publishWith(next("wrongname"), ca.issue("mta-sts.somewhere-else.test"));
        assertRefused(domain, "sts-webpki-invalid");
    }

    @Test
    void certificateFromAnUntrustedCaShouldBeRefused() throws Exception {
        String domain = next("untrusted");
        assertRefused(publishWith(domain, TestCa.create("Not Trusted CA").issue("mta-sts." + domain)),
                "sts-webpki-invalid");
    }

    @Test
    void expiredCertificateShouldBeRefused() throws Exception {
        String domain = next("expired");
        assertRefused(publishWith(domain, ca.issueExpired("mta-sts." + domain)), "sts-webpki-invalid");
    }

    @Test
    void malformedPolicyShouldBeRefused() throws Exception {
        String domain = publish("malformed", "v=STSv1; id=m1;",
                "version: STSv1\r\nmode: enforced\r\nmx: mx.%1$s\r\nmax_age: 86400\r\n");
        assertRefused(domain, "sts-policy-invalid");
    }

    @Test
    void oversizedPolicyShouldBeRefusedWithOrWithoutContentLength() throws Exception {
        byte[] big = (enforcePolicy("x.test") + "pad: " + "a".repeat(70_000) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        String declared = publish("big", "v=STSv1; id=b1;", enforcePolicy("%1$s"));
        server.answer("mta-sts." + declared, new PolicyServer.Answer(200, "text/plain", big, false, Map.of()));
        String chunked = publish("bigchunked", "v=STSv1; id=b1;", enforcePolicy("%1$s"));
        server.answer("mta-sts." + chunked, new PolicyServer.Answer(200, "text/plain", big, true, Map.of()));

        assertRefused(declared, "sts-policy-invalid");
        assertRefused(chunked, "sts-policy-invalid");
    }

    @Test
    void policyThatIsNotTextPlainShouldBeRefused() throws Exception {
        String domain = publish("html", "v=STSv1; id=h1;", enforcePolicy("%1$s"));
        server.answer("mta-sts." + domain, new PolicyServer.Answer(200, "text/html",
                enforcePolicy(domain).getBytes(StandardCharsets.US_ASCII), false, Map.of()));
        assertRefused(domain, "sts-policy-invalid");
    }

    @Test
    void redirectShouldNotBeFollowed() throws Exception {
        String target = publish("target", "v=STSv1; id=t1;", enforcePolicy("%1$s"));
        String domain = publish("redirect", "v=STSv1; id=r1;", enforcePolicy("%1$s"));
        server.answer("mta-sts." + domain, new PolicyServer.Answer(301, "text/plain", new byte[0], false,
                Map.of("Location", "https://mta-sts." + target + PolicyFetcher.PATH)));

        assertRefused(domain, "sts-policy-fetch-error");
        assertEquals(0, server.requests("mta-sts." + target));
    }

    @Test
    void silentPolicyHostShouldCostTheFirstMessageNoMoreThanTheWait() throws Exception {
        String domain = publish("silent", "v=STSv1; id=s1;", enforcePolicy("%1$s"));
        server.hold("mta-sts." + domain);

        assertInstanceOf(DomainTlsPolicy.None.class, policies.policyFor(domain));
        assertEquals(1, server.requests("mta-sts." + domain));
    }

    @Test
    void enginesFailureReportsShouldBeCountedPerDayTypeAndMx() throws Exception {
        String domain = publish("reported", "v=STSv1; id=e1;", enforcePolicy("%1$s"));
        assertInstanceOf(DomainTlsPolicy.Enforce.class, policies.policyFor(domain));

        policies.failed(domain, "mx." + domain + ".", "certificate-host-mismatch", "certificate names mx.other.test");
        policies.failed(domain, "MX." + domain, "certificate-host-mismatch", "certificate names mx.other.test");
        policies.failed(domain, "mx." + domain, "starttls-not-supported", "no STARTTLS in EHLO");

        JsonPath report = await(() -> report(domain), r -> r.getList("failures").size() == 2
                && r.getLong("failures.find { it.resultType == 'certificate-host-mismatch' }.failures") == 2,
                "the engine's failures counted");
        assertEquals("mx." + domain,
                report.getString("failures.find { it.resultType == 'starttls-not-supported' }.mxHost"));
    }

    @Test
    void whatIsNotADomainNameShouldHaveNoPolicy() {
        for (String bad : new String[]{null, "", "[127.0.0.1]", "a..b.sts.test", "x".repeat(300) + ".sts.test"}) {
            assertInstanceOf(DomainTlsPolicy.None.class, policies.policyFor(bad));
        }
    }

    @Test
    void apiShouldRefuseWhatIsNotADomainName() {
        for (String bad : new String[]{"[127.0.0.1]", "a..b.sts.test", "x".repeat(2000) + ".test", "%00.test",
                "*.sts.test"}) {
            given().auth().preemptive().basic(USER, PASSWORD).when().get("/api/delivery/mta-sts/" + bad)
                    .then().statusCode(400);
        }
        given().when().get("/api/delivery/mta-sts/example.test").then().statusCode(401);
    }

    // --- helpers

    private void assertRefused(String domain, String resultType) {
        assertInstanceOf(DomainTlsPolicy.None.class, policies.policyFor(domain));
        awaitFailure(domain, resultType);
        assertNull(report(domain).get("cached"), "nothing cached from a refused policy");
    }

    private void awaitFailure(String domain, String resultType) {
        await(() -> report(domain), r -> r.getList("failures.findAll { it.resultType == '" + resultType
                + "' && it.mxHost == '' }").size() == 1, resultType + " recorded for " + domain);
    }

    private String publish(String label, String txt, String policyTemplate) throws Exception {
        String domain = next(label);
        dns.txt("_mta-sts." + domain, txt).a("mta-sts." + domain, "127.0.0.1");
        server.certificate("mta-sts." + domain, ca.issue("mta-sts." + domain))
                .answer("mta-sts." + domain, PolicyServer.Answer.policy(policyTemplate.formatted(domain)));
        return domain;
    }

    private String publishWith(String domain, TestCa.Issued certificate) throws Exception {
        dns.txt("_mta-sts." + domain, "v=STSv1; id=c1;").a("mta-sts." + domain, "127.0.0.1");
        server.certificate("mta-sts." + domain, certificate)
                .answer("mta-sts." + domain, PolicyServer.Answer.policy(enforcePolicy(domain)));
        return domain;
    }

    private static String enforcePolicy(String domain) {
        return "version: STSv1\r\nmode: enforce\r\nmx: mx." + domain + "\r\nmax_age: 86400\r\n";
    }

    private static String next(String label) {
        return label + DOMAINS.incrementAndGet() + ".sts.test";
    }

    private static JsonPath report(String domain) {
        return given().auth().preemptive().basic(USER, PASSWORD).when().get("/api/delivery/mta-sts/" + domain)
                .then().statusCode(200).extract().jsonPath();
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) {
        await(condition, Boolean::booleanValue, what);
    }

    private static <T> T await(Supplier<T> probe, java.util.function.Predicate<T> done, String what) {
        Instant deadline = Instant.now().plus(PATIENCE);
        T last = probe.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited " + PATIENCE + " for " + what + "; last seen: " + last);
            }
            // a poll interval, not a guess at how long the work takes: the deadline above is what bounds it
            LockSupport.parkNanos(Duration.ofMillis(25).toNanos());
            last = probe.get();
        }
        return last;
    }
}
