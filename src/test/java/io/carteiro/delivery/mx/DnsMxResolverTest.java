package io.carteiro.delivery.mx;

import io.carteiro.support.MutableClock;
import io.carteiro.delivery.LoopbackDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.SimpleResolver;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MX resolution rules of RFC 5321 §5.1 and RFC 7505, against a real DNS server on a loopback port. */
class DnsMxResolverTest {

    static LoopbackDnsServer dns;

    @BeforeAll
    static void startDns() throws IOException {
        dns = LoopbackDnsServer.start()
                .mx("sorted.test", 20, "mx2.sorted.test").mx("sorted.test", 10, "mx1.sorted.test")
                .a("mx1.sorted.test", "127.0.0.11").a("mx2.sorted.test", "127.0.0.12")
                .aaaa("mx1.sorted.test", "::1")
                .mx("equal.test", 10, "a.equal.test").mx("equal.test", 10, "b.equal.test")
                .a("a.equal.test", "127.0.0.21").a("b.equal.test", "127.0.0.22")
                .a("nomx.test", "127.0.0.31")
                .nullMx("nullmx.test")
                .servfail("broken.test")
                .silent("silent.test")
                .mx("public.test", 10, "mx.public.test").a("mx.public.test", "127.0.0.41")
                .mx("halfbroken.test", 10, "gone.halfbroken.test").mx("halfbroken.test", 20, "mx.halfbroken.test")
                .a("mx.halfbroken.test", "127.0.0.51")
                .mx("cached.test", 10, "mx.cached.test").a("mx.cached.test", "127.0.0.61");
    }

    @AfterAll
    static void stopDns() throws IOException {
        dns.close();
    }

    static DnsMxResolver resolver(Clock clock, boolean allowPrivate) {
        var server = new SimpleResolver(MxResolverProducer.parse(dns.address()));
        server.setTimeout(Duration.ofMillis(400));
        return new DnsMxResolver(server, clock, allowPrivate, RandomGenerator.getDefault());
    }

    static DnsMxResolver resolver() {
        return resolver(Clock.systemUTC(), true);
    }

    @Test
    void exchangersShouldBeSortedByPreferenceWithTheirAddresses() throws IOException {
        var found = assertInstanceOf(MxLookup.Found.class, resolver().resolve("sorted.test"));
        assertEquals(List.of("mx1.sorted.test", "mx2.sorted.test"),
                found.exchangers().stream().map(Exchanger::host).toList());
        assertEquals(List.of(InetAddress.getByName("127.0.0.11"), InetAddress.getByName("::1")),
                found.exchangers().get(0).addresses());
        assertEquals(false, found.implicitMx());
    }

    @Test
    void equalPreferencesShouldBeShuffled() {
        Set<String> firsts = new HashSet<>();
        DnsMxResolver resolver = resolver();
        for (int i = 0; i < 40 && firsts.size() < 2; i++) {
            resolver.clearCache();
            var found = assertInstanceOf(MxLookup.Found.class, resolver.resolve("equal.test"));
            firsts.add(found.exchangers().get(0).host());
        }
        assertEquals(Set.of("a.equal.test", "b.equal.test"), firsts);
    }

    @Test
    void domainWithoutMxShouldUseItsOwnAddressAsImplicitMx() throws IOException {
        var found = assertInstanceOf(MxLookup.Found.class, resolver().resolve("nomx.test"));
        assertTrue(found.implicitMx());
        assertEquals(List.of(new Exchanger("nomx.test", 0, List.of(InetAddress.getByName("127.0.0.31")))),
                found.exchangers());
    }

    @Test
    void nullMxShouldBeAPermanentFailureWith5110() {
        var failure = assertInstanceOf(MxLookup.Permanent.class, resolver().resolve("nullmx.test"));
        assertEquals("5.1.10", failure.enhancedStatus());
    }

    @Test
    void nxdomainShouldBeAPermanentFailureWith512() {
        var failure = assertInstanceOf(MxLookup.Permanent.class, resolver().resolve("nowhere.test"));
        assertEquals("5.1.2", failure.enhancedStatus());
    }

    @Test
    void servfailShouldBeATemporaryFailure() {
        var failure = assertInstanceOf(MxLookup.Temporary.class, resolver().resolve("broken.test"));
        assertTrue(failure.reason().contains("SERVFAIL"), failure.reason());
    }

    @Test
    void timeoutShouldBeATemporaryFailure() {
        assertInstanceOf(MxLookup.Temporary.class, resolver().resolve("silent.test"));
    }

    @Test
    void privateExchangersShouldBeRefusedUnlessAllowed() {
        var refused = assertInstanceOf(MxLookup.Permanent.class,
                resolver(Clock.systemUTC(), false).resolve("public.test"));
        assertEquals("5.4.4", refused.enhancedStatus());
        assertTrue(refused.reason().contains("127.0.0.41"), refused.reason());
        assertInstanceOf(MxLookup.Found.class, resolver(Clock.systemUTC(), true).resolve("public.test"));
    }

    @Test
    void exchangerWithoutAddressShouldBeSkippedForTheNextOne() {
        var found = assertInstanceOf(MxLookup.Found.class, resolver().resolve("halfbroken.test"));
        assertEquals(List.of("mx.halfbroken.test"), found.exchangers().stream().map(Exchanger::host).toList());
    }

    @Test
    void answersShouldBeCachedForTheirTtl() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        DnsMxResolver resolver = resolver(clock, true);
        int before = dns.queries("cached.test", "MX");
        resolver.resolve("cached.test");
        clock.advance(Duration.ofSeconds(299));
        resolver.resolve("cached.test");
        assertEquals(before + 1, dns.queries("cached.test", "MX"));
        clock.advance(Duration.ofSeconds(2));
        resolver.resolve("cached.test");
        assertEquals(before + 2, dns.queries("cached.test", "MX"));
    }

    @Test
    void nxdomainShouldBeCachedForTheSoaMinimum() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        DnsMxResolver resolver = resolver(clock, true);
        resolver.resolve("negative.test");
        clock.advance(Duration.ofSeconds(59));
        resolver.resolve("negative.test");
        assertEquals(1, dns.queries("negative.test", "MX"));
        clock.advance(Duration.ofSeconds(2));
        resolver.resolve("negative.test");
        assertEquals(2, dns.queries("negative.test", "MX"));
    }

    @Test
    void temporaryFailuresShouldNotBeCached() {
        DnsMxResolver resolver = resolver();
        int before = dns.queries("broken.test", "MX");
        resolver.resolve("broken.test");
        resolver.resolve("broken.test");
        assertEquals(before + 2, dns.queries("broken.test", "MX"));
    }
}
