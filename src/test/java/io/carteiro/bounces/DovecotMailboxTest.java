package io.carteiro.bounces;

import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.TestSmtpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounce mailbox on a real Dovecot: IMAP and POP3 upgraded with STARTTLS (and implicit TLS) against a test CA
 * given as a CA file or a trust store of the mailbox's own; a certificate for another name, an untrusted one and a
 * plain-text login refused with words that say so; a DSN delivered twice counted once; a POP3 server killed in the
 * middle of a poll, and nothing counted twice after it comes back.
 */
@QuarkusTest
@TestProfile(BounceNetwork.class)
class DovecotMailboxTest {

    static Dovecot dovecot;

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    MailboxReader reader;

    @Inject
    BounceTestData data;

    @BeforeAll
    static void startDovecot() throws Exception {
        dovecot = Dovecot.start(Path.of("target", "dovecot-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime()));
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @BeforeEach
    void network() {
        data.on(dns, ports);
    }

    private MailboxSettings settings(String protocol, String host, int port, MailboxSecurity security,
                                     MailboxTrust trust) {
        return new MailboxSettings(protocol, host, port, security, false, trust, Dovecot.USER, Dovecot.PASSWORD,
                "INBOX", Optional.empty(), 500, Duration.ofMinutes(5));
    }

    private MailboxTrust caFile() {
        return MailboxTrust.of(Optional.of(dovecot.ca.caPem.toString()), Optional.empty(), Optional.empty());
    }

    private MailboxTrust trustStore() {
        return MailboxTrust.of(Optional.empty(), Optional.of(dovecot.ca.trustStore.toString()),
                Optional.of(TestCa.PASSWORD));
    }

    private MailboxReader.Polled polled(MailboxSettings settings) {
        MailboxReader.PollOutcome outcome = reader.poll(settings);
        return assertInstanceOf(MailboxReader.Polled.class, outcome, outcome::summary);
    }

    /** A delivered campaign message and its DSN, delivered into the Dovecot mailbox. */
    private BounceTestData.Sent bounceInMailbox(String prefix) throws Exception {
        var sent = data.delivered(prefix);
        dovecot.deliver(mailboxCopy(sent, "5.1.1"));
        return sent;
    }

    private static byte[] mailboxCopy(BounceTestData.Sent sent, String status) {
        return ("Delivered-To: " + sent.returnPath() + "\r\n" + new String(BounceTestData.dsn(sent.email(), "failed",
                status, "550 " + status + " user unknown", sent.rfcMessageId()))).getBytes();
    }

    private String status(long subscriber) {
        return data.string("select status from subscriber where id = " + subscriber);
    }

    @Test
    void imapWithStartTlsAndACaFileShouldRecordTheBounceAndDeleteTheMessage() throws Exception {
        var sent = bounceInMailbox("dove-imap");

        var result = polled(settings("imap", "127.0.0.1", dovecot.imap, MailboxSecurity.STARTTLS, caFile()));

        assertEquals(1, result.read());
        assertEquals(1, result.recorded());
        assertEquals("bounced", status(sent.subscriberId()));
        assertEquals("hard|mailbox", data.string("select concat_ws('|', kind, source) from bounce where subscriber_id = "
                + sent.subscriberId()));
        assertEquals(0, polled(settings("imap", "127.0.0.1", dovecot.imap, MailboxSecurity.STARTTLS, caFile())).read(),
                "the message was deleted");
    }

    @Test
    void pop3WithStartTlsAndATrustStoreShouldRecordTheBounce() throws Exception {
        var sent = bounceInMailbox("dove-pop3");

        var result = polled(settings("pop3", "127.0.0.1", dovecot.pop3, MailboxSecurity.STARTTLS, trustStore()));

        assertEquals(1, result.recorded());
        assertEquals("bounced", status(sent.subscriberId()));
    }

    @Test
    void implicitTlsShouldWorkForImapsAndPop3s() throws Exception {
        var first = bounceInMailbox("dove-imaps");
        assertEquals(1, polled(settings("imap", "localhost", dovecot.imaps, MailboxSecurity.TLS, caFile())).recorded());
        var second = bounceInMailbox("dove-pop3s");
        assertEquals(1, polled(settings("pop3", "localhost", dovecot.pop3s, MailboxSecurity.TLS, caFile())).recorded());
        assertEquals("bounced", status(first.subscriberId()));
        assertEquals("bounced", status(second.subscriberId()));
    }

    @Test
    void aDsnDeliveredTwiceShouldCountOnce() throws Exception {
        String email = data.uniqueEmail(data.domain("dove-twice", TestSmtpServer.Behaviour.ACCEPT));
        long list = data.list();
        long subscriber = data.subscriber(email, list);
        var sent = data.sendCampaign(list).get(email);
        dovecot.deliver(mailboxCopy(sent, "4.2.2"));
        dovecot.deliver(mailboxCopy(sent, "4.2.2"));

        var result = polled(settings("imap", "127.0.0.1", dovecot.imap, MailboxSecurity.STARTTLS, caFile()));

        assertEquals(2, result.read());
        assertEquals(1, result.recorded());
        assertEquals(1, result.alreadyRecorded(), "the second DSN is about the same message and kind");
        assertEquals(1, data.count("select count(*) from bounce where subscriber_id = " + subscriber));
    }

    @Test
    void aCertificateForAnotherNameShouldBeRefusedSayingSo() throws Exception {
        bounceInMailbox("dove-name");
        MailboxReader.PollOutcome outcome = reader.poll(settings("imap", "127.0.0.2", dovecot.imap,
                MailboxSecurity.STARTTLS, caFile()));

        assertInstanceOf(MailboxReader.Failed.class, outcome);
        assertTrue(outcome.summary().contains("certificate name mismatch")
                && outcome.summary().contains("does not name 127.0.0.2"), outcome.summary());
        assertEquals(1, polled(settings("imap", "127.0.0.1", dovecot.imap, MailboxSecurity.STARTTLS, caFile()))
                .read(), "the message was left for a poll with the right name");
    }

    @Test
    void aCertificateFromAnUnknownCaShouldBeRefusedSayingSo() {
        MailboxReader.PollOutcome outcome = reader.poll(settings("imap", "127.0.0.1", dovecot.imap,
                MailboxSecurity.STARTTLS, MailboxTrust.of(Optional.empty(), Optional.empty(), Optional.empty())));

        assertInstanceOf(MailboxReader.Failed.class, outcome);
        assertTrue(outcome.summary().contains("not signed by a trusted CA"), outcome.summary());
    }

    @Test
    void aPlainTextLoginShouldBeRefusedBeforeConnecting() throws Exception {
        String before = dovecot.log();
        MailboxReader.PollOutcome outcome = reader.poll(settings("imap", "127.0.0.1", dovecot.imap,
                MailboxSecurity.NONE, caFile()));

        assertInstanceOf(MailboxReader.Failed.class, outcome);
        assertTrue(outcome.summary().contains("plain text"), outcome.summary());
        assertFalse(dovecot.log().substring(before.length()).contains("imap-login"),
                "Carteiro did not even connect");
    }

    @Test
    void aPop3ServerKilledMidPollShouldBeReportedAndNothingCountedTwiceAfterItReturns() throws Exception {
        String domain = data.domain("dove-kill", TestSmtpServer.Behaviour.ACCEPT);
        long list = data.list();
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String email = data.uniqueEmail(domain);
            data.subscriber(email, list);
            emails.add(email);
        }
        Collection<BounceTestData.Sent> sent = data.sendCampaign(list).values();
        String kinds = "5.1.1 4.2.2 5.7.1";
        for (BounceTestData.Sent s : sent) {
            for (String status : kinds.split(" ")) {
                dovecot.deliver(mailboxCopy(s, status));
            }
        }
        int total = sent.size() * 3;
        String counted = "select count(*) from bounce where outbound_message_id in (select id from outbound_message"
                + " where campaign_id = " + sent.iterator().next().campaignId() + ")";
        MailboxSettings pop3 = settings("pop3", "127.0.0.1", dovecot.pop3, MailboxSecurity.STARTTLS, caFile());

        CompletableFuture<MailboxReader.PollOutcome> first = CompletableFuture.supplyAsync(() -> reader.poll(pop3));
        BounceTestData.awaitTrue(Duration.ofSeconds(60), () -> data.count(counted) >= 10 || first.isDone(),
                "the poll recorded its first bounces");
        dovecot.kill();
        MailboxReader.PollOutcome killed = first.join();
        long before = data.count(counted);
        dovecot.startMaster();
        var second = polled(pop3);

        System.out.printf("POP3 killed mid-poll: %d messages, %d recorded before the kill (%s), then %s%n", total,
                before, killed.summary(), second.summary());
        assertInstanceOf(MailboxReader.Failed.class, killed, killed::summary);
        assertTrue(killed.summary().contains("closed") && killed.summary().contains("without being counted again")
                || killed.summary().contains("without counting them again"), killed.summary());
        assertTrue(before > 0 && before < total, before + " of " + total + " recorded before the kill");
        assertEquals(total, second.read(), "POP3 deletes only at QUIT: every message was still there");
        assertEquals(before, second.alreadySeen(), "the ones recorded before the kill were only removed");
        assertEquals(total, data.count(counted), "every report counted exactly once");
        assertEquals(0, polled(pop3).read(), "the mailbox is empty");
        assertEquals(emails.size(), sent.size());
    }
}
