package io.carteiro.engagement;

import io.agroal.api.AgroalDataSource;
import io.carteiro.delivery.DeliveryTestSupport;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.TestSmtpServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A list and a campaign set up as a list owner does, through the API, delivered by the real engine to an SMTP
 * server on loopback; each received message parsed back into its tracked links, decoy, open image and
 * unsubscribe link, as a mail client would see them.
 */
final class TrackedCampaign {

    static final String ARTICLE = "https://news.example.org/article?id=1";
    static final String SHOP = "https://shop.example.org/";
    static final String HTML = "<p>Hello {subscriber.name}</p><p><a href=\"" + ARTICLE + "\">Read the article</a></p>"
            + "<p><a href=\"" + SHOP + "\">Visit the shop</a></p>"
            + "<p><a href=\"{unsubscribeUrl}\">Unsubscribe</a> <a href=\"{preferencesUrl}\">Preferences</a></p>";

    private static final Pattern HREF = Pattern.compile("href=\"https?://[^/\"]+(/r/[^\"]+)\"([^>]*)>");
    private static final Pattern IMG = Pattern.compile("src=\"https?://[^/\"]+(/o/[^\"]+)\"");
    private static final Pattern PREFERENCES = Pattern.compile("href=\"https?://[^/\"]+(/p/[^\"]+)\"");
    private static final Pattern UNSUBSCRIBE = Pattern.compile("List-Unsubscribe:[^\\n]*?<https?://[^/>]+(/u/[^>]+)>");

    /** One received message as its recipient's mail client sees it. */
    record Message(String to, List<String> links, String decoy, String open, String unsubscribe, String preferences,
                   String html) {
    }

    final String tag = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50), 36);
    final String domain = "eng-" + tag + ".test";
    final AgroalDataSource dataSource;
    final TestSmtpServer exchanger;
    long listId;
    long campaignId;
    private int sent;
    final Map<String, Long> subscribers = new HashMap<>();

    TrackedCampaign(AgroalDataSource dataSource, LoopbackDnsServer dns, LoopbackNetwork.Ports ports)
            throws java.io.IOException {
        this.dataSource = dataSource;
        String address = ports.nextAddress();
        exchanger = TestSmtpServer.start(address, ports.port(), TestSmtpServer.Behaviour.ACCEPT);
        dns.mx(domain, 10, "mx." + domain).a("mx." + domain, address);
    }

    static RequestSpecification api() {
        return given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                .contentType(ContentType.JSON);
    }

    String email(String name) {
        return name + "-" + tag + "@" + domain;
    }

    TrackedCampaign list(String tracking, boolean openTracking, String... names) {
        listId = api().body(Map.of("name", "Engagement " + tag + " " + tracking, "fromEmail", "news@sender.test",
                        "optIn", "single", "tracking", tracking, "openTracking", openTracking))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
        for (String name : names) {
            subscribers.put(name, api().body(Map.of("email", email(name), "name", name))
                    .post("/api/lists/" + listId + "/subscribers").then().statusCode(201).extract().jsonPath()
                    .getLong("id"));
        }
        return this;
    }

    /** Creates, schedules and delivers the campaign; returns the messages received, by recipient name. */
    Map<String, Message> send(DeliveryTestSupport delivery) throws Exception {
        return send(delivery, HTML);
    }

    /** The same with this HTML body. */
    Map<String, Message> send(DeliveryTestSupport delivery, String html) throws Exception {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Engagement " + tag + " " + (++sent));
        body.put("subject", "News for {subscriber.name}");
        body.put("fromEmail", "news@sender.test");
        body.put("listIds", List.of(listId));
        body.put("html", html);
        campaignId = api().body(body).post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
        return sendDraft(delivery, campaignId);
    }

    /** Schedules and delivers a draft campaign made beforehand; returns the messages it brought, by name. */
    Map<String, Message> sendDraft(DeliveryTestSupport delivery, long draftId) throws Exception {
        campaignId = draftId;
        int before = exchanger.received().size();
        api().body(Map.of()).post("/api/campaigns/" + campaignId + "/schedule").then().statusCode(200);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            JsonPath j = api().get("/api/campaigns/" + campaignId).then().statusCode(200).extract().jsonPath();
            if (!j.getString("status").equals("draft") && !j.getString("status").equals("scheduled")
                    && !j.getBoolean("queueing")) {
                break;
            }
            assertTrue(Instant.now().isBefore(deadline), "campaign " + campaignId + " never started");
            Thread.onSpinWait();
        }
        for (long row : longs("SELECT id FROM outbound_message WHERE campaign_id = " + campaignId + " ORDER BY id")) {
            delivery.deliver(row);
        }
        Map<String, Message> out = new HashMap<>();
        List<TestSmtpServer.Received> received = exchanger.received();
        for (TestSmtpServer.Received m : received.subList(before, received.size())) {
            String name = m.to().substring(0, m.to().indexOf('-'));
            out.put(name, parse(m));
        }
        return out;
    }

    static Message parse(TestSmtpServer.Received received) throws Exception {
        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(received.data()));
        String html = html(mime.getContent());
        List<String> links = new ArrayList<>();
        String decoy = null;
        Matcher a = HREF.matcher(html);
        while (a.find()) {
            if (a.group(2).contains("display:none")) {
                decoy = a.group(1);
            } else {
                links.add(a.group(1));
            }
        }
        Matcher img = IMG.matcher(html);
        Matcher unsubscribe = UNSUBSCRIBE.matcher(received.text());
        Matcher preferences = PREFERENCES.matcher(html);
        return new Message(received.to(), links, decoy, img.find() ? img.group(1) : null,
                unsubscribe.find() ? unsubscribe.group(1) : null, preferences.find() ? preferences.group(1) : null,
                html);
    }

    private static String html(Object content) throws Exception {
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType("text/html")) {
                    return (String) part.getContent();
                }
                if (part.getContent() instanceof Multipart) {
                    String inner = html(part.getContent());
                    if (inner != null) {
                        return inner;
                    }
                }
            }
            return null;
        }
        return (String) content;
    }

    List<Long> longs(String sql) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getLong(1));
            }
        }
        return out;
    }

    List<String> strings(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    void close() {
        exchanger.close();
    }
}
