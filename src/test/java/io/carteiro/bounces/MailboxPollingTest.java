package io.carteiro.bounces;

import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Carteiro configured to poll a real Dovecot over IMAP with STARTTLS and a CA file of the mailbox's own: mail that
 * was waiting before the start is read within seconds of it (not at the end of a first interval), and a DSN for a
 * campaign message marks its subscriber bounced, with the last poll's outcome on the bounces page.
 */
@QuarkusTest
@TestProfile(MailboxPollingTest.WithDovecot.class)
class MailboxPollingTest {

    /** The bounce network, plus a Dovecot that Carteiro polls every two seconds. */
    public static class WithDovecot extends BounceNetwork {
        @Override
        public List<TestResourceEntry> testResources() {
            List<TestResourceEntry> resources = new ArrayList<>(super.testResources());
            resources.add(new TestResourceEntry(DovecotResource.class));
            return resources;
        }
    }

    /** Starts Dovecot before Carteiro, with a letter already waiting in the mailbox, and points Carteiro at it. */
    public static class DovecotResource implements QuarkusTestResourceLifecycleManager {
        static final String WAITING = "Waiting since before the start";
        private Dovecot dovecot;

        @Override
        public Map<String, String> start() {
            try {
                dovecot = Dovecot.start(Path.of("target", "dovecot-polling-" + System.nanoTime()));
                dovecot.deliver(("From: admin@isp.example\r\nSubject: " + WAITING + "\r\n\r\nHello.\r\n").getBytes());
            } catch (Exception e) {
                throw new IllegalStateException("cannot start dovecot", e);
            }
            Map<String, String> config = new HashMap<>();
            config.put("carteiro.bounce.mailbox.enabled", "true");
            config.put("carteiro.bounce.mailbox.protocol", "imap");
            config.put("carteiro.bounce.mailbox.host", "127.0.0.1");
            config.put("carteiro.bounce.mailbox.port", Integer.toString(dovecot.imap));
            config.put("carteiro.bounce.mailbox.security", "starttls");
            config.put("carteiro.bounce.mailbox.ca-file", dovecot.ca.caPem.toString());
            config.put("carteiro.bounce.mailbox.user", Dovecot.USER);
            config.put("carteiro.bounce.mailbox.password", Dovecot.PASSWORD);
            config.put("carteiro.bounce.mailbox.poll-interval", "PT2S");
            return config;
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(dovecot, new TestInjector.MatchesType(Dovecot.class));
        }

        @Override
        public void stop() {
            try {
                dovecot.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;
    Dovecot dovecot;

    @Inject
    BounceTestData data;

    @BeforeEach
    void network() {
        data.on(dns, ports);
    }

    @Test
    void mailWaitingBeforeTheStartShouldBeReadWithinSecondsAndADsnShouldBounceItsSubscriber() throws Exception {
        BounceTestData.awaitTrue(Duration.ofSeconds(30), () -> data.count("select count(*) from inbound_unparsed"
                + " where subject = '" + DovecotResource.WAITING + "' and channel = 'mailbox'") == 1,
                "the first poll read the mail waiting in the mailbox");

        var sent = data.delivered("polled");
        dovecot.deliver(("Delivered-To: " + sent.returnPath() + "\r\n" + new String(BounceTestData.dsn(sent.email(),
                "5.1.1", "550 5.1.1 user unknown", sent.rfcMessageId()))).getBytes());

        BounceTestData.awaitTrue(Duration.ofSeconds(60), () -> "bounced".equals(data.string(
                "select status from subscriber where id = " + sent.subscriberId())), "the DSN was polled");
        assertEquals("hard|mailbox", data.string("select concat_ws('|', kind, source) from bounce where subscriber_id = "
                + sent.subscriberId()));
        String cookie = given().redirects().follow(false).formParam("j_username", BounceTestData.ADMIN)
                .formParam("j_password", BounceTestData.PASSWORD).post("/j_security_check").cookie("carteiro-session");
        given().cookie("carteiro-session", cookie).get("/admin/bounces").then().statusCode(200)
                .body(containsString("Bounce mailbox: last poll started"));
    }
}
