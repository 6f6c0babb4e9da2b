package io.carteiro.bounces;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mailbox mode against GreenMail's IMAP and POP3 servers on loopback. */
@QuarkusTest
@TestProfile(BounceNetwork.class)
class MailboxReaderTest {

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    MailboxReader reader;

    @Inject
    BounceRecorder recorder;

    @Inject
    BounceTestData data;

    private GreenMail greenMail;
    private String user;

    @BeforeEach
    void startMailServer() {
        data.on(dns, ports);
        greenMail = new GreenMail(new ServerSetup[]{
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort(),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_POP3).dynamicPort()});
        greenMail.start();
        user = "bounces" + System.nanoTime() + "@mail.carteiro.test";
        greenMail.setUser(user, user, "secret");
    }

    @AfterEach
    void stopMailServer() {
        greenMail.stop();
    }

    private MailboxSettings imap(Optional<String> processedFolder) {
        return new MailboxSettings("imap", "127.0.0.1", greenMail.getImap().getPort(), MailboxSecurity.NONE, true,
                NO_TRUST, user, "secret", "INBOX", processedFolder, 100, Duration.ofMinutes(5));
    }

    static final MailboxTrust NO_TRUST = MailboxTrust.of(Optional.empty(), Optional.empty(), Optional.empty());

    private MailboxReader.Polled polled(MailboxSettings settings) {
        MailboxReader.PollOutcome outcome = reader.poll(settings);
        if (outcome instanceof MailboxReader.Polled polled) {
            return polled;
        }
        throw new AssertionError("the poll failed: " + outcome.summary());
    }

    @Test
    void aPlainTextLoginShouldBeRefusedUnlessAllowed() throws Exception {
        deliverBounce("imap-plain");
        MailboxSettings plain = new MailboxSettings("imap", "127.0.0.1", greenMail.getImap().getPort(),
                MailboxSecurity.NONE, false, NO_TRUST, user, "secret", "INBOX", Optional.empty(), 100,
                Duration.ofMinutes(5));

        MailboxReader.PollOutcome outcome = reader.poll(plain);

        assertTrue(outcome instanceof MailboxReader.Failed && outcome.summary().contains("plain text"),
                outcome.summary());
        assertEquals(1, count("INBOX"), "nothing was read");
    }

    private BounceTestData.Sent deliverBounce(String domain) throws Exception {
        var sent = data.delivered(domain);
        String raw = "Delivered-To: " + sent.returnPath() + "\r\n"
                + new String(BounceTestData.dsn(sent.email(), "5.1.1", "550 5.1.1 no such user", sent.rfcMessageId()));
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes()));
        greenMail.getManagers().getUserManager().getUser(user).deliver(message);
        return sent;
    }

    private int count(String folderName) throws Exception {
        Properties props = new Properties();
        try (Store store = Session.getInstance(props).getStore("imap")) {
            store.connect("127.0.0.1", greenMail.getImap().getPort(), user, "secret");
            Folder folder = store.getFolder(folderName);
            if (!folder.exists()) {
                return 0;
            }
            folder.open(Folder.READ_ONLY);
            int n = folder.getMessageCount();
            folder.close(false);
            return n;
        }
    }

    @Test
    void imapPollShouldRecordBouncesAndMoveThemToTheProcessedFolder() throws Exception {
        var first = deliverBounce("imap-one");
        var second = deliverBounce("imap-two");

        var result = polled(imap(Optional.of("Processed")));

        assertEquals(2, result.read());
        assertEquals(2, result.recorded());
        assertEquals("bounced", data.string("select status from subscriber where id = " + first.subscriberId()));
        assertEquals("hard|mailbox", data.string("select concat_ws('|', kind, source) from bounce where subscriber_id = "
                + second.subscriberId()));
        assertEquals(0, count("INBOX"));
        assertEquals(2, count("Processed"));
        assertEquals(0, polled(imap(Optional.of("Processed"))).read(), "nothing left to read");
    }

    @Test
    void aCrashAfterRecordingButBeforeDeletingShouldCountNoBounceTwice() throws Exception {
        var sent = deliverBounce("imap-crash");
        MailboxSettings settings = imap(Optional.empty());
        // The first run recorded the message and died before deleting it: replay exactly that.
        try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
            store.connect("127.0.0.1", greenMail.getImap().getPort(), user, "secret");
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message message = inbox.getMessage(1);
            java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
            message.writeTo(raw);
            recorder.receive(new InboundMail(RawMessage.of(raw.toByteArray()), null, sent.returnPath(), InboundMail.Channel.MAILBOX,
                    MailboxReader.seenKey(settings, inbox, message)));
            inbox.close(false);
        }

        var result = polled(settings);

        assertEquals(1, result.alreadySeen());
        assertEquals(0, result.recorded());
        assertEquals(1, data.count("select count(*) from bounce where subscriber_id = " + sent.subscriberId()));
        assertEquals(0, count("INBOX"), "the already counted message is deleted now");
    }

    @Test
    void pop3PollShouldRecordAndDelete() throws Exception {
        var sent = deliverBounce("pop3");
        MailboxSettings pop3 = new MailboxSettings("pop3", "127.0.0.1", greenMail.getPop3().getPort(),
                MailboxSecurity.NONE, true, NO_TRUST, user, "secret", "INBOX", Optional.empty(), 100,
                Duration.ofMinutes(5));

        var result = polled(pop3);

        assertEquals(1, result.recorded());
        assertEquals("bounced", data.string("select status from subscriber where id = " + sent.subscriberId()));
        assertEquals(0, count("INBOX"));
    }
}
