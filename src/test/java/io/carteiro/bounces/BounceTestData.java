package io.carteiro.bounces;

import io.agroal.api.AgroalDataSource;
import io.carteiro.delivery.DeliveryTestSupport;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.TestSmtpServer;
import io.carteiro.delivery.VerpAddress;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounce tests reach their starting state as a list owner does: lists, subscribers and campaigns through the JSON
 * API, the campaign sent by the real delivery engine to SMTP servers on loopback addresses (one per way of
 * answering: accept, 550, 451, 554 5.7.1) that a loopback DNS server names as the MX of each test's domains. What
 * the test then checks is read with plain SQL.
 */
@ApplicationScoped
class BounceTestData {

    static final String ADMIN = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";
    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    @Inject
    AgroalDataSource db;
    @Inject
    VerpAddress verp;
    @Inject
    DeliveryTestSupport delivery;

    private LoopbackDnsServer dns;
    private LoopbackNetwork.Ports ports;
    private final Map<TestSmtpServer.Behaviour, TestSmtpServer> exchangers =
            new EnumMap<>(TestSmtpServer.Behaviour.class);
    private final List<TestSmtpServer> own = new ArrayList<>();

    /** One message the engine handled for a subscriber: its queue row, where bounces go, and how it ended. */
    record Sent(long messageId, long subscriberId, long listId, long campaignId, String email, String returnPath,
                String rfcMessageId, String state) {
    }

    /** Hands over the test profile's DNS server and loopback addresses (idempotent). */
    synchronized BounceTestData on(LoopbackDnsServer dns, LoopbackNetwork.Ports ports) {
        this.dns = dns;
        this.ports = ports;
        return this;
    }

    static RequestSpecification api() {
        return RestAssured.given().auth().preemptive().basic(ADMIN, PASSWORD).contentType(ContentType.JSON);
    }

    /** A fresh domain whose MX answers every RCPT the way {@code behaviour} says. */
    synchronized String domain(String prefix, TestSmtpServer.Behaviour behaviour) {
        if (dns == null) {
            throw new IllegalStateException("call on(dns, ports) first: the test needs the LoopbackNetwork profile");
        }
        TestSmtpServer server = exchangers.computeIfAbsent(behaviour,
                b -> TestSmtpServer.start(ports.nextAddress(), ports.port(), b));
        String domain = prefix + SEQUENCE.incrementAndGet() + ".test";
        try {
            dns.mx(domain, 10, "mx." + domain).a("mx." + domain, server.address());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return domain;
    }

    /** A domain with an exchanger of its own, whose way of answering the test can change. */
    record OwnDomain(String name, TestSmtpServer exchanger) {
        void answer(TestSmtpServer.Behaviour behaviour) {
            exchanger.behave(behaviour);
        }
    }

    /** A fresh domain with its own exchanger (on a loopback address of its own), answering as {@code behaviour}. */
    synchronized OwnDomain ownDomain(String prefix, TestSmtpServer.Behaviour behaviour) {
        TestSmtpServer server = TestSmtpServer.start(ports.nextAddress(), ports.port(), behaviour);
        own.add(server);
        String domain = prefix + SEQUENCE.incrementAndGet() + ".test";
        try {
            dns.mx(domain, 10, "mx." + domain).a("mx." + domain, server.address());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new OwnDomain(domain, server);
    }

    /** The server that accepts mail (to read what was delivered). */
    synchronized TestSmtpServer accepting() {
        return exchangers.get(TestSmtpServer.Behaviour.ACCEPT);
    }

    String uniqueEmail(String domain) {
        return "r" + SEQUENCE.incrementAndGet() + "@" + domain;
    }

    /** A single opt-in list, created through the API. */
    long list() {
        return api().body(Map.of("name", "bounce test list " + SEQUENCE.incrementAndGet(), "optIn", "single",
                        "fromEmail", "news@sender.test"))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** A subscriber added to the list through the API. */
    long subscriber(String email, long list) {
        return subscriber(email, list, Map.of());
    }

    long subscriber(String email, long list, Map<String, Object> attributes) {
        Map<String, Object> body = new HashMap<>();
        body.put("email", email);
        body.put("attributes", attributes);
        return api().body(body).post("/api/lists/" + list + "/subscribers").then().statusCode(201).extract()
                .jsonPath().getLong("id");
    }

    /** Creates a campaign to the list through the API, sends it now and waits until its messages are queued. */
    long startCampaign(long list, String html) {
        long id = api().body(Map.of("name", "Bounce test " + SEQUENCE.incrementAndGet(), "subject", "Hello",
                        "fromEmail", "news@sender.test", "listIds", List.of(list), "html", html))
                .post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
        api().body(Map.of()).post("/api/campaigns/" + id + "/schedule").then().statusCode(200);
        long expected = count("select count(*) from subscription where list_id = " + list
                + " and status = 'confirmed'");
        awaitTrue(Duration.ofSeconds(60), () -> count("select count(*) from outbound_message where campaign_id = " + id)
                >= expected, "campaign " + id + " queued its " + expected + " messages");
        return id;
    }

    /**
     * Sends a campaign to the list and lets the engine handle every message until it has left the queue, retrying
     * after temporary failures as it would in production (so a deferred message ends sent, bounced or expired).
     */
    Map<String, Sent> sendCampaign(long list) {
        return deliver(startCampaign(list, HTML), true);
    }

    /** Sends a campaign and lets the engine make one attempt at each message (a deferred one stays deferred). */
    Map<String, Sent> sendCampaignOnce(long list) {
        return deliver(startCampaign(list, HTML), false);
    }

    static final String HTML = "<p>Hello</p><p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>";

    private Map<String, Sent> deliver(long campaign, boolean untilFinal) {
        Map<String, Sent> sent = new LinkedHashMap<>();
        for (long row : longs("select id from outbound_message where campaign_id = " + campaign + " order by id")) {
            if (untilFinal) {
                deliverUntilFinal(row);
            } else {
                delivery.deliver(row);
            }
        }
        for (String line : strings("select concat_ws('|', o.id, o.subscriber_id, o.list_id, o.recipient, "
                + "coalesce(o.message_id, ''), o.state) from outbound_message o where o.campaign_id = " + campaign
                + " order by o.id")) {
            String[] f = line.split("\\|", -1);
            long id = Long.parseLong(f[0]);
            sent.put(f[3], new Sent(id, Long.parseLong(f[1]), Long.parseLong(f[2]), campaign, f[3],
                    verp.returnPath(id), f[4].isEmpty() ? null : f[4], f[5]));
        }
        return sent;
    }

    /** A subscriber of a list of their own. */
    record Recipient(String email, long list, long subscriber) {
    }

    /** A new subscriber, on a new list, at a new domain whose exchanger answers as {@code behaviour}. */
    Recipient recipient(String prefix, TestSmtpServer.Behaviour behaviour) {
        return recipientAt(domain(prefix, behaviour));
    }

    /** A new subscriber, on a new list, at this domain. */
    Recipient recipientAt(String domain) {
        String email = uniqueEmail(domain);
        long list = list();
        return new Recipient(email, list, subscriber(email, list));
    }

    /** A campaign message accepted by the exchanger of a new subscriber at a new domain. */
    Sent delivered(String prefix) {
        String email = uniqueEmail(domain(prefix, TestSmtpServer.Behaviour.ACCEPT));
        long list = list();
        subscriber(email, list);
        Sent sent = sendCampaign(list).get(email);
        if (!sent.state().equals("sent")) {
            throw new AssertionError("the campaign message to " + email + " was not delivered: " + sent);
        }
        return sent;
    }

    /** Runs the engine on one deferred message until it has left the queue (it expires after the retry period). */
    String deliverUntilFinal(long row) {
        Instant deadline = Instant.now().plusSeconds(60);
        String state = delivery.deliver(row);
        while (state.equals("deferred")) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("message " + row + " was still deferred after 60 s");
            }
            Thread.onSpinWait();
            state = delivery.deliver(row);
        }
        return state;
    }

    /** A header of a message an exchanger received, unfolded. */
    static String header(TestSmtpServer.Received message, String name) {
        try {
            String value = new jakarta.mail.internet.InternetHeaders(new java.io.ByteArrayInputStream(message.data()))
                    .getHeader(name, null);
            return value == null ? null : value.replaceAll("\\r?\\n[ \\t]+", " ");
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    String string(String sql) {
        List<String> values = strings(sql);
        return values.isEmpty() ? null : values.get(0);
    }

    List<Long> longs(String sql) {
        return strings(sql).stream().map(Long::valueOf).toList();
    }

    List<String> strings(String sql) {
        List<String> values = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
        return values;
    }

    long count(String sql) {
        return Long.parseLong(string(sql));
    }

    static void awaitTrue(Duration limit, java.util.function.BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + limit + " waiting until " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // polling an observable condition
        }
    }

    @PreDestroy
    synchronized void closeExchangers() {
        exchangers.values().forEach(TestSmtpServer::close);
        exchangers.clear();
        own.forEach(TestSmtpServer::close);
        own.clear();
    }

    /** A minimal RFC 3464 DSN about {@code recipient} quoting {@code originalMessageId}. */
    static byte[] dsn(String recipient, String status, String diagnostic, String originalMessageId) {
        return dsn(recipient, status.startsWith("4") ? "delayed" : "failed", status, diagnostic, originalMessageId);
    }

    /** A minimal RFC 3464 DSN with the given action. */
    static byte[] dsn(String recipient, String action, String status, String diagnostic, String originalMessageId) {
        return ("""
                From: MAILER-DAEMON@mx.remote.example (Mail Delivery System)
                To: someone@bounces.carteiro.test
                Subject: Undelivered Mail Returned to Sender
                Message-ID: <dsn-%s@mx.remote.example>
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

                --BOUNDARY
                Content-Type: text/plain

                Your message could not be delivered.

                --BOUNDARY
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.remote.example

                Final-Recipient: rfc822; %s
                Action: %s
                Status: %s
                Diagnostic-Code: smtp; %s

                --BOUNDARY
                Content-Type: text/rfc822-headers

                From: news@sender.test
                To: %s
                Message-ID: %s

                --BOUNDARY--
                """.formatted(SEQUENCE.incrementAndGet(), recipient, action, status, diagnostic, recipient,
                originalMessageId)).replace("\n", "\r\n").getBytes();
    }

    /** An RFC 5965 abuse report about a message to {@code recipient}. */
    static byte[] arf(String recipient, String originalMessageId) {
        return arf(recipient, originalMessageId, "news@sender.test");
    }

    /** An RFC 5965 abuse report naming the reported message's envelope sender. */
    static byte[] arf(String recipient, String originalMessageId, String originalMailFrom) {
        return ("""
                From: fbl@isp.example
                To: fbl@bounces.carteiro.test
                Subject: Abuse report
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=feedback-report; boundary="B"

                --B
                Content-Type: text/plain

                A user reported spam.

                --B
                Content-Type: message/feedback-report

                Feedback-Type: abuse
                User-Agent: TestFBL/1.0
                Version: 1
                Original-Mail-From: <%s>
                Original-Rcpt-To: %s

                --B
                Content-Type: text/rfc822-headers

                From: news@sender.test
                To: %s
                Message-ID: %s

                --B--
                """.formatted(originalMailFrom, recipient, recipient, originalMessageId)).replace("\n", "\r\n")
                .getBytes();
    }
}
