package io.carteiro.deliverability;

import io.carteiro.delivery.dkim.DkimAlgorithm;
import io.carteiro.delivery.dkim.DkimKey;
import io.carteiro.delivery.dkim.DkimPublication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.SimpleResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The domain checker against Debian's dnsmasq serving a good domain and a bad variant of each record: every verdict
 * and the gist of its detail and fix are asserted.
 */
class DomainCheckerTest {

    static Dnsmasq dns;
    static DomainChecker checker;
    static DnsLookups lookups;
    static final DkimKey GOOD_KEY = key(1, "good.test", "s1");
    static final DkimKey OTHER_KEY = key(2, "dkimdiff.test", "s1");
    static final DkimKey MISSING_KEY = key(3, "dkimmissing.test", "s1");
    static final DkimKey NONE_KEY = key(4, "dmarcnone.test", "s1");

    static SendingSetup good() {
        return setup("mail.good.test", "bounces.good.test", "127.0.1.2");
    }

    static SendingSetup setup(String ehlo, String bounce, String address) {
        InetAddress ip = ip(address);
        return new SendingSetup(ehlo, bounce, List.of(ip), "configured", List.of(ip), Optional.empty(),
                "dmarc-reports@" + bounce, "tls-reports@" + bounce);
    }

    @BeforeAll
    static void serve() throws Exception {
        Dnsmasq.Records r = new Dnsmasq.Records()
                // the good domain and its bounce domain
                .txt("good.test", "v=spf1 ip4:127.0.1.2 -all")
                .txt("bounces.good.test", "v=spf1 ip4:127.0.1.2 -all")
                .txt("s1._domainkey.good.test", GOOD_KEY.dnsRecord())
                .txt("_dmarc.good.test", "v=DMARC1; p=reject; rua=mailto:dmarc-reports@bounces.good.test")
                .txt("_mta-sts.good.test", "v=STSv1; id=20261201T000000")
                .txt("_smtp._tls.good.test", "v=TLSRPTv1; rua=mailto:tls-reports@bounces.good.test")
                .mx("bounces.good.test", "mail.good.test", 10)
                .host("mail.good.test", "127.0.1.2")
                // SPF with 11 lookups: eleven includes of records that match nothing
                .txt("spf11.test", "v=spf1 " + java.util.stream.IntStream.rangeClosed(1, 11)
                        .mapToObj(i -> "include:i" + i + ".spf11.test").collect(Collectors.joining(" ")) + " -all")
                .txt("plusall.test", "v=spf1 +all")
                .txt("qall.test", "v=spf1 ip4:127.0.1.2 ?all")
                .txt("spfmiss.test", "v=spf1 ip4:127.0.9.9 -all")
                .txt("twospf.test", "v=spf1 -all").txt("twospf.test", "v=spf1 ip4:127.0.1.2 -all")
                .txt("badspf.test", "v=spf1 ip4:300.1.1.1 -all")
                // DMARC p=none without rua
                .txt("_dmarc.dmarcnone.test", "v=DMARC1; p=none")
                .txt("s1._domainkey.dmarcnone.test", NONE_KEY.dnsRecord())
                .txt("dmarcnone.test", "v=spf1 ip4:127.0.1.2 -all")
                // a DKIM TXT that differs from the key
                .txt("s1._domainkey.dkimdiff.test", GOOD_KEY.dnsRecord())
                .txt("_dmarc.dkimdiff.test", "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@bounces.good.test")
                // no DMARC, no DKIM record, invalid MTA-STS, TLS-RPT without rua
                .txt("_mta-sts.dkimmissing.test", "v=STSv1; id=not-valid!")
                .txt("_smtp._tls.dkimmissing.test", "v=TLSRPTv1;")
                // an EHLO name with an address but no PTR; an address whose PTR names another host
                .aOnly("noptr.good.test", "127.0.1.3")
                .host("other.good.test", "127.0.1.4")
                // a bounce domain whose MX is elsewhere, one with no MX
                .mx("bounces.elsewhere.test", "mx.elsewhere.test", 10)
                .host("mx.elsewhere.test", "127.0.1.50");
        for (int i = 1; i <= 11; i++) {
            r.txt("i" + i + ".spf11.test", "v=spf1 ip4:192.0.2." + i + " -all");
        }
        dns = Dnsmasq.start(r);
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", dns.port()));
        resolver.setTimeout(Duration.ofSeconds(2));
        lookups = new DnsLookups(resolver);
        checker = new DomainChecker(lookups, new DkimPublication(resolver));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (dns != null) {
            dns.close();
        }
    }

    static CheckItem item(DomainCheck check, String name) {
        return check.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aWellSetUpDomainShouldPassEveryCheck() {
        DomainCheck check = checker.check("good.test", good(), List.of(GOOD_KEY), Instant.now());
        assertEquals(List.of("spf", "dkim", "dmarc", "bounce-mx", "ptr", "ehlo", "mta-sts", "tls-rpt", "bimi"),
                check.checks().stream().map(CheckItem::name).toList());
        for (CheckItem c : check.checks()) {
            assertEquals(Verdict.PASS, c.verdict(), c.name() + ": " + c.detail());
            assertNull(c.fix(), c.name());
        }
        assertTrue(item(check, "spf").detail().contains("127.0.1.2 passes (ip4:127.0.1.2)"));
        assertTrue(item(check, "spf").detail().contains("It needs 0 of the 10 DNS lookups"));
        assertTrue(item(check, "dkim").detail().contains("2048 bits"), item(check, "dkim").detail());
        assertTrue(item(check, "dmarc").detail().contains("both align"), item(check, "dmarc").detail());
        assertTrue(item(check, "ptr").detail().contains("The PTR of 127.0.1.2 is mail.good.test"));
    }

    @Test
    void anSpfRecordNeedingElevenLookupsShouldFailAsAPermanentError() {
        CheckItem spf = checker.spf("spf11.test", good());
        assertEquals(Verdict.FAIL, spf.verdict());
        assertTrue(spf.detail().contains("more than 10 DNS lookups (the 11th is include:i11.spf11.test)"),
                spf.detail());
        SpfEvaluator.Outcome outcome = SpfEvaluator.check(lookups, ip("127.0.1.2"), "spf11.test",
                "news@spf11.test", "mail.good.test");
        assertEquals(SpfEvaluator.Result.PERMERROR, outcome.result());
        assertEquals(11, outcome.lookups());
    }

    @Test
    void spfShouldFlagPlusAllQuestionAllMissingAddressesAndBrokenRecords() {
        CheckItem plus = checker.spf("plusall.test", good());
        assertEquals(Verdict.FAIL, plus.verdict());
        assertTrue(plus.detail().contains("+all: anyone may send as plusall.test"), plus.detail());

        CheckItem neutral = checker.spf("qall.test", good());
        assertEquals(Verdict.WARN, neutral.verdict());
        assertTrue(neutral.detail().contains("?all"), neutral.detail());

        CheckItem missing = checker.spf("spfmiss.test", good());
        assertEquals(Verdict.FAIL, missing.verdict());
        assertTrue(missing.detail().contains("127.0.1.2 (configured) gets fail"), missing.detail());
        assertEquals("spfmiss.test. TXT \"v=spf1 ip4:127.0.1.2 ip4:127.0.9.9 -all\"", missing.fix());

        CheckItem none = checker.spf("nothing.test", good());
        assertEquals(Verdict.FAIL, none.verdict());
        assertTrue(none.detail().contains("publishes no SPF record"), none.detail());
        assertEquals("nothing.test. TXT \"v=spf1 ip4:127.0.1.2 -all\"", none.fix());

        assertEquals(Verdict.FAIL, checker.spf("twospf.test", good()).verdict());
        CheckItem invalid = checker.spf("badspf.test", good());
        assertEquals(Verdict.FAIL, invalid.verdict());
        assertTrue(invalid.detail().contains("'300.1.1.1' is not an IPv4 address"), invalid.detail());
    }

    @Test
    void dmarcWithPolicyNoneAndNoRuaShouldWarnAndSayWhatToAdd() {
        DomainCheck check = checker.check("dmarcnone.test", good(), List.of(NONE_KEY), Instant.now());
        CheckItem dmarc = item(check, "dmarc");
        assertEquals(Verdict.WARN, dmarc.verdict(), dmarc.detail());
        assertTrue(dmarc.detail().contains("p=none"), dmarc.detail());
        assertTrue(dmarc.detail().contains("no rua= address"), dmarc.detail());
        assertTrue(dmarc.fix().startsWith("_dmarc.dmarcnone.test. TXT \"v=DMARC1; p=none; "
                + "rua=mailto:dmarc-reports@bounces.good.test\""), dmarc.fix());
        assertTrue(dmarc.fix().contains("dmarcnone.test._report._dmarc.bounces.good.test. TXT \"v=DMARC1\""),
                "reports for another organisation need its consent: " + dmarc.fix());
        assertTrue(dmarc.detail().contains("DKIM aligns"), dmarc.detail());
    }

    @Test
    void aDkimRecordThatDiffersFromTheKeyShouldFailWithTheRecordToPublish() {
        CheckItem dkim = checker.dkim("dkimdiff.test", good(), List.of(OTHER_KEY));
        assertEquals(Verdict.FAIL, dkim.verdict());
        assertTrue(dkim.detail().contains("is another key than"), dkim.detail());
        assertTrue(dkim.detail().contains("does not sign with it until the record is right"), dkim.detail());
        assertEquals("s1._domainkey.dkimdiff.test. TXT \"" + OTHER_KEY.dnsRecord() + "\"", dkim.fix());

        CheckItem missing = checker.dkim("dkimmissing.test", good(), List.of(MISSING_KEY));
        assertEquals(Verdict.FAIL, missing.verdict());
        assertTrue(missing.detail().contains("does not exist"), missing.detail());

        CheckItem noKey = checker.dkim("nokey.test", good(), List.of());
        assertEquals(Verdict.FAIL, noKey.verdict());
        assertTrue(noKey.detail().contains("no active DKIM key"));
    }

    @Test
    void aDomainThatNothingAlignsWithShouldFailDmarc() {
        CheckItem dmarc = item(checker.check("dkimdiff.test", good(), List.of(), Instant.now()), "dmarc");
        assertEquals(Verdict.FAIL, dmarc.verdict());
        assertTrue(dmarc.detail().contains("Neither DKIM (no key) nor the return path @bounces.good.test aligns"),
                dmarc.detail());

        DomainCheck none = checker.check("dkimmissing.test", good(), List.of(MISSING_KEY), Instant.now());
        assertEquals(Verdict.FAIL, item(none, "dmarc").verdict());
        assertTrue(item(none, "dmarc").detail().contains("publishes no DMARC record"));
        assertEquals(Verdict.FAIL, item(none, "mta-sts").verdict(), item(none, "mta-sts").detail());
        assertEquals(Verdict.FAIL, item(none, "tls-rpt").verdict(), item(none, "tls-rpt").detail());
        DomainCheck bare = checker.check("nothing.test", good(), List.of(), Instant.now());
        assertEquals(Verdict.WARN, item(bare, "mta-sts").verdict());
        assertEquals(Verdict.WARN, item(bare, "tls-rpt").verdict());
        assertEquals("_smtp._tls.nothing.test. TXT \"v=TLSRPTv1; rua=mailto:tls-reports@bounces.good.test\"",
                item(bare, "tls-rpt").fix());
    }

    @Test
    void anEhloNameWithoutPtrShouldFailThePtrCheck() {
        SendingSetup noPtr = setup("noptr.good.test", "bounces.good.test", "127.0.1.3");
        CheckItem ptr = checker.ptr(noPtr);
        assertEquals(Verdict.FAIL, ptr.verdict());
        assertTrue(ptr.detail().contains("127.0.1.3 has no PTR record"), ptr.detail());
        assertEquals("Ask the provider of 127.0.1.3 to set its PTR to noptr.good.test.", ptr.fix());
        assertEquals(Verdict.PASS, checker.ehlo(noPtr).verdict(), "the name itself resolves");

        CheckItem mismatch = checker.ptr(setup("mail.good.test", "bounces.good.test", "127.0.1.4"));
        assertEquals(Verdict.WARN, mismatch.verdict());
        assertTrue(mismatch.detail().contains("The PTR of 127.0.1.4 is other.good.test (confirmed)"),
                mismatch.detail());
        assertEquals(Verdict.WARN, checker.ehlo(setup("mail.good.test", "bounces.good.test", "127.0.1.4")).verdict());
    }

    @Test
    void aLocalOrUnresolvableEhloNameShouldFail() {
        CheckItem local = checker.ehlo(setup("localhost.localdomain", "bounces.good.test", "127.0.1.2"));
        assertEquals(Verdict.FAIL, local.verdict());
        assertTrue(local.detail().contains("a local name"), local.detail());
        assertEquals(Verdict.FAIL, checker.ehlo(setup("carteiro", "bounces.good.test", "127.0.1.2")).verdict());
        CheckItem unknown = checker.ehlo(setup("gone.good.test", "bounces.good.test", "127.0.1.2"));
        assertEquals(Verdict.FAIL, unknown.verdict());
        assertTrue(unknown.detail().contains("does not resolve"), unknown.detail());
    }

    @Test
    void aBounceDomainWhoseMxIsElsewhereOrMissingShouldSaySo() {
        CheckItem elsewhere = checker.bounceMx(setup("mail.good.test", "bounces.elsewhere.test", "127.0.1.2"));
        assertEquals(Verdict.WARN, elsewhere.verdict());
        assertTrue(elsewhere.detail().contains("mx.elsewhere.test (127.0.1.50), not this installation"),
                elsewhere.detail());
        CheckItem missing = checker.bounceMx(setup("mail.good.test", "bounces.nothing.test", "127.0.1.2"));
        assertEquals(Verdict.FAIL, missing.verdict());
        assertEquals("bounces.nothing.test. MX 10 mail.good.test.", missing.fix());
    }

    static DkimKey key(long id, String domain, String selector) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return new DkimKey(id, domain, selector, DkimAlgorithm.RSA_SHA256, pair.getPrivate(),
                    Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()), true, Instant.now());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
