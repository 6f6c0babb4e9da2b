package io.carteiro.campaigns;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class CampaignsApiTest {

    static final String BODY = "<p>Hello {subscriber.name}</p>\n<p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CampaignStarter starter;

    @Inject
    CampaignRepository repository;

    @Inject
    CampaignScheduler scheduler;

    @Inject
    CampaignPacer pacer;

    @Inject
    CampaignTicker ticker;

    @Inject
    CampaignQueueFilling filling;

    CampaignFixture fixture;
    long listA;

    @BeforeEach
    void setUp() throws SQLException {
        fixture = new CampaignFixture(dataSource);
        listA = fixture.list("Alpha");
    }

    static RequestSpecification api() {
        return given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                .contentType(ContentType.JSON);
    }

    Map<String, Object> campaign(String name, List<Long> lists, String html) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name + " " + fixture.tag);
        body.put("subject", "News for {subscriber.name}");
        body.put("fromEmail", "news@sender.test");
        body.put("listIds", lists);
        body.put("html", html);
        body.put("text", null);
        return body;
    }

    long create(Map<String, Object> body) {
        return api().body(body).post("/api/campaigns").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    JsonPath get(long id) {
        return api().get("/api/campaigns/" + id).then().statusCode(200).extract().jsonPath();
    }

    JsonPath awaitCampaign(long id, Predicate<JsonPath> condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonPath last = get(id);
        while (!condition.test(last)) {
            assertTrue(Instant.now().isBefore(deadline), "campaign " + id + " never got there: " + last.prettify());
            Thread.onSpinWait();
            last = get(id);
        }
        return last;
    }

    @Test
    void createShouldRefuseATemplateErrorWithItsLineAndColumnAndStoreNothing() throws SQLException {
        Map<String, Object> body = campaign("Broken", List.of(listA),
                "<p>Hello</p>\n<p>{subscriber.name</p>\n<a href=\"{unsubscribeUrl}\">Unsubscribe</a>");
        api().body(body).post("/api/campaigns").then().statusCode(400)
                .body("part", equalTo("html")).body("line", equalTo(2))
                .body("column", org.hamcrest.Matchers.notNullValue())
                .body("error", containsString("line 2"));
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM campaign WHERE name = 'Broken " + fixture.tag + "'"));
    }

    @Test
    void createShouldRefuseABodyWithoutAnUnsubscribeLink() {
        api().body(campaign("No link", List.of(listA), "<p>Hello {subscriber.name}</p>"))
                .post("/api/campaigns").then().statusCode(400).body("error", containsString("unsubscribe link"));
    }

    @Test
    void createShouldRefuseLineBreaksInHeaderFields() {
        Map<String, Object> subject = campaign("CRLF", List.of(listA), BODY);
        subject.put("subject", "Hi\r\nBcc: victim@example.org");
        api().body(subject).post("/api/campaigns").then().statusCode(400)
                .body("error", containsString("subject holds a carriage return"));
        Map<String, Object> fromName = campaign("CRLF", List.of(listA), BODY);
        fromName.put("fromName", "News\nBcc: victim@example.org");
        api().body(fromName).post("/api/campaigns").then().statusCode(400).body("error", containsString("fromName"));
        Map<String, Object> replyTo = campaign("CRLF", List.of(listA), BODY);
        replyTo.put("replyTo", "a@example.org\r\nX: y");
        api().body(replyTo).post("/api/campaigns").then().statusCode(400).body("error", containsString("replyTo"));
    }

    @Test
    void createShouldRefuseUnknownListsAndBadSenders() {
        api().body(campaign("No list", List.of(Long.MAX_VALUE), BODY)).post("/api/campaigns").then().statusCode(400)
                .body("error", containsString("name no list"));
        Map<String, Object> body = campaign("Bad from", List.of(listA), BODY);
        body.put("fromEmail", "not an address");
        api().body(body).post("/api/campaigns").then().statusCode(400).body("error", containsString("fromEmail"));
    }

    @Test
    void previewShouldEscapeTheSubscribersNameAndCarryTheListHeaders() throws SQLException {
        long subscriber = fixture.subscribers(1, "xss", i -> "example.org", "<script>alert(1)</script>", "active")
                .get(0);
        fixture.subscribe(listA, List.of(subscriber), "confirmed");
        long id = create(campaign("Preview", List.of(listA), BODY));

        JsonPath preview = api().get("/api/campaigns/" + id + "/preview?subscriberId=" + subscriber)
                .then().statusCode(200).extract().jsonPath();
        assertTrue(preview.getString("html").contains("Hello &lt;script&gt;alert(1)&lt;/script&gt;"),
                preview.getString("html"));
        assertFalse(preview.getString("html").contains("<script>"));
        assertEquals("News for <script>alert(1)</script>", preview.getString("subject"));
        Map<String, String> headers = preview.getMap("headers");
        assertTrue(headers.get("List-Unsubscribe").matches("<http://localhost:8080/u/[A-Za-z0-9_.-]+>, "
                + "<mailto:u-[a-z0-9-]{1,62}@bounces\\.carteiro\\.test>"), headers.get("List-Unsubscribe"));
        assertEquals("List-Unsubscribe=One-Click", headers.get("List-Unsubscribe-Post"));
        assertTrue(headers.get("List-Id").endsWith("<list-" + listA + ".bounces.carteiro.test>"),
                headers.get("List-Id"));
        assertEquals(id + ":" + listA + ":campaign:carteiro", headers.get("Feedback-ID"));
        assertTrue(preview.getString("text").contains("Unsubscribe (http://localhost:8080/u/"),
                preview.getString("text"));
    }

    @Test
    void startShouldQueueExactlyOneMessagePerEligibleSubscriberAndASecondStartNothing() throws SQLException {
        long listB = fixture.list("Beta");
        List<Long> people = fixture.subscribers(300, "p", i -> "d" + (i % 5) + "-" + fixture.tag + ".test", "P",
                "active");
        fixture.subscribe(listA, people.subList(0, 200), "confirmed");
        fixture.subscribe(listB, people.subList(100, 300), "confirmed");
        // 0-9 left list A (and 100-104 left A too, but stay confirmed on B)
        fixture.execute("UPDATE subscription SET status = 'unsubscribed' WHERE list_id = " + listA
                + " AND subscriber_id IN (" + join(people.subList(0, 10)) + "," + join(people.subList(100, 105)) + ")");
        fixture.execute("UPDATE subscriber SET status = 'blocklisted' WHERE id IN ("
                + join(people.subList(10, 15)) + ")");
        fixture.execute("UPDATE subscriber SET status = 'bounced' WHERE id IN (" + join(people.subList(15, 20)) + ")");
        fixture.execute("UPDATE subscriber SET status = 'complained' WHERE id IN ("
                + join(people.subList(20, 25)) + ")");
        for (long s : people.subList(25, 30)) {
            fixture.suppress("address", fixture.email(s).toLowerCase());
        }
        String blockedDomain = "blocked-" + fixture.tag + ".test";
        // a suppressed domain covers its subdomains too, as Suppressions#match says
        List<Long> blocked = fixture.subscribers(10, "b", i -> (i % 2 == 0 ? "" : "mail.") + blockedDomain, "B",
                "active");
        fixture.subscribe(listA, blocked, "confirmed");
        fixture.suppress("domain", blockedDomain);
        List<Long> unconfirmed = fixture.subscribers(10, "u", i -> "example.org", "U", "active");
        fixture.subscribe(listA, unconfirmed, "unconfirmed");

        long id = create(campaign("Recipients", List.of(listA, listB), BODY));
        api().body(Map.of()).post("/api/campaigns/" + id + "/schedule").then().statusCode(200);
        JsonPath started = awaitCampaign(id, j -> !j.getString("status").equals("scheduled")
                && !j.getBoolean("queueing"));
        assertEquals("running", started.getString("status"));
        assertFalse(started.getBoolean("startedLate"));

        String rows = "FROM outbound_message WHERE campaign_id = " + id;
        assertEquals(270, fixture.count("SELECT COUNT(*) " + rows));
        assertEquals(270, fixture.count("SELECT COUNT(DISTINCT subscriber_id) " + rows));
        assertEquals(270, started.getLong("queued"));
        assertEquals(0, started.getLong("sent"));
        List<Long> queued = fixture.longs("SELECT subscriber_id " + rows);
        assertTrue(queued.containsAll(people.subList(30, 300)));
        for (long ineligible : concat(people.subList(0, 30), blocked, unconfirmed)) {
            assertFalse(queued.contains(ineligible), "subscriber " + ineligible + " must not be queued");
        }
        assertEquals(listB, fixture.count("SELECT list_id " + rows + " AND subscriber_id = " + people.get(100)));
        assertEquals(listA, fixture.count("SELECT list_id " + rows + " AND subscriber_id = " + people.get(150)));
        assertEquals(5, fixture.count("SELECT COUNT(DISTINCT recipient_domain) " + rows));

        assertEquals(CampaignStarter.StartOutcome.NOT_SCHEDULED, starter.start(id).outcome());
        Campaign c = QuarkusTransaction.requiringNew().call(() -> repository.findById(id));
        int again = QuarkusTransaction.requiringNew().call(() -> repository.queueRecipients(c, "news@sender.test", 0,
                Long.MAX_VALUE, Instant.now(), Instant.now().plus(Duration.ofDays(1)), Instant.now()));
        assertEquals(0, again);
        assertEquals(270, fixture.count("SELECT COUNT(*) " + rows));
    }

    /** Scheduled without a Quartz job, so only the calls of the test (and the ticker) queue it. */
    long scheduledWithoutJob(String name, int subscribers) throws SQLException {
        fixture.subscribe(listA, fixture.subscribers(subscribers, name.toLowerCase(), i -> "range" + (i % 4) + ".test",
                name, "active"), "confirmed");
        long id = create(campaign(name, List.of(listA), BODY));
        fixture.execute("UPDATE campaign SET status = 'scheduled', send_at = NOW(6) WHERE id = " + id);
        return id;
    }

    @Test
    void aCampaignLargerThanOneRangeShouldBeQueuedRangeByRangeEachSubscriberOnce() throws SQLException {
        // the test profile queues at most 100 subscriptions per list and range
        long id = scheduledWithoutJob("Ranges", 250);
        CampaignStarter.Start start = starter.start(id);
        assertEquals(CampaignStarter.StartOutcome.STARTED, start.outcome());
        assertEquals(100, start.queued());
        // as after a crash between ranges: the ticker queues what is left
        ticker.tick();
        JsonPath done = get(id);
        assertFalse(done.getBoolean("queueing"));
        assertEquals(250, fixture.count("SELECT COUNT(*) FROM outbound_message WHERE campaign_id = " + id));
        assertEquals(250, fixture.count("SELECT COUNT(DISTINCT subscriber_id) FROM outbound_message"
                + " WHERE campaign_id = " + id));
        assertFalse(starter.queueMore(id));
        api().post("/api/campaigns/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void rangesQueuedDuringAPauseShouldBeHeldAndReleasedOnResume() throws SQLException {
        long id = scheduledWithoutJob("Paused ranges", 250);
        starter.start(id);
        api().post("/api/campaigns/" + id + "/pause").then().statusCode(200);
        starter.queueRest(id);
        String rows = "SELECT COUNT(*) FROM outbound_message WHERE campaign_id = " + id;
        assertEquals(250, fixture.count(rows));
        assertEquals(0, fixture.count(rows + " AND next_attempt_at IS NOT NULL"));
        api().post("/api/campaigns/" + id + "/resume").then().statusCode(200);
        assertEquals(250, fixture.count(rows + " AND state = 'queued' AND next_attempt_at IS NOT NULL"));
        api().post("/api/campaigns/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void theQueueFillsWhileACampaignHasRangesLeftAsEveryInstanceSeesInTheDatabase() throws SQLException {
        long id = scheduledWithoutJob("Filling", 250);
        starter.start(id); // the first range only: the cursor stays, as while another instance is queueing
        Instant deadline = Instant.now().plusSeconds(10);
        while (!filling.filling() && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        assertTrue(filling.filling(), "a campaign with ranges left fills the queue");

        starter.queueRest(id);
        String othersQueueing = "SELECT COUNT(*) FROM campaign WHERE queue_end IS NOT NULL";
        assertEquals(fixture.count(othersQueueing) > 0, filling.filling(), "read again as soon as the fill ends");
        filling.begin();
        assertTrue(filling.filling(), "this instance's starter at work fills the queue at once");
        filling.end();
        assertEquals(fixture.count(othersQueueing) > 0, filling.filling());
        api().post("/api/campaigns/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void aCampaignCancelledWhileQueueingShouldQueueNoFurtherRange() throws SQLException {
        long id = scheduledWithoutJob("Cancelled ranges", 250);
        starter.start(id);
        api().post("/api/campaigns/" + id + "/cancel").then().statusCode(200).body("queueing", equalTo(true));
        assertFalse(starter.queueMore(id));
        String rows = "SELECT COUNT(*) FROM outbound_message WHERE campaign_id = " + id;
        assertTrue(fixture.count(rows) < 250, "ranges after the cancel must not be queued");
        assertEquals(fixture.count(rows), fixture.count(rows + " AND state = 'cancelled'"));
        assertFalse(get(id).getBoolean("queueing"));
    }

    @Test
    void twoInstancesStartingTheSameCampaignAtOnceShouldQueueItOnce() throws Exception {
        fixture.subscribe(listA, fixture.subscribers(50, "race", i -> "race.example", "R", "active"), "confirmed");
        long id = create(campaign("Race", List.of(listA), BODY));
        // scheduled without a Quartz job, so only the two starters below race for it
        fixture.execute("UPDATE campaign SET status = 'scheduled', send_at = NOW(6) WHERE id = " + id);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.Callable<CampaignStarter.Start> start = () -> {
                go.await();
                return starter.start(id);
            };
            var first = pool.submit(start);
            var second = pool.submit(start);
            go.countDown();
            List<CampaignStarter.StartOutcome> outcomes = List.of(first.get().outcome(), second.get().outcome());
            assertTrue(outcomes.contains(CampaignStarter.StartOutcome.STARTED), outcomes.toString());
            assertTrue(outcomes.contains(CampaignStarter.StartOutcome.NOT_SCHEDULED), outcomes.toString());
        } finally {
            pool.shutdown();
        }
        assertEquals(50, fixture.count("SELECT COUNT(*) FROM outbound_message WHERE campaign_id = " + id));
        api().post("/api/campaigns/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void pauseResumeAndCancelShouldHoldReleaseAndCancelTheUnsentRows() throws SQLException {
        List<Long> people = fixture.subscribers(40, "c", i -> "ctl" + (i % 3) + ".test", "C", "active");
        fixture.subscribe(listA, people, "confirmed");
        long id = create(campaign("Control", List.of(listA), BODY));
        api().post("/api/campaigns/" + id + "/resume").then().statusCode(409);
        api().body("{\"sendAt\": null}").post("/api/campaigns/" + id + "/schedule").then().statusCode(200)
                .body("status", equalTo("scheduled"));
        awaitCampaign(id, j -> j.getString("status").equals("running"));
        String due = "SELECT COUNT(*) FROM outbound_message WHERE campaign_id = " + id
                + " AND state = 'queued' AND next_attempt_at IS NOT NULL";
        assertEquals(40, fixture.count(due));

        api().post("/api/campaigns/" + id + "/pause").then().statusCode(200).body("status", equalTo("paused"))
                .body("pauseReason", containsString("admin@carteiro.test"));
        assertEquals(0, fixture.count(due));
        api().post("/api/campaigns/" + id + "/pause").then().statusCode(409).body("error", containsString("paused"));

        api().post("/api/campaigns/" + id + "/resume").then().statusCode(200).body("status", equalTo("running"));
        assertEquals(40, fixture.count(due));

        api().post("/api/campaigns/" + id + "/cancel").then().statusCode(200).body("status", equalTo("cancelled"))
                .body("queued", equalTo(0)).body("remaining", equalTo(0));
        assertEquals(40, fixture.count("SELECT COUNT(*) FROM outbound_message WHERE campaign_id = " + id
                + " AND state = 'cancelled'"));
        api().post("/api/campaigns/" + id + "/resume").then().statusCode(409);
    }

    @Test
    void aCampaignWhoseSendTimePassedShouldStartAndSayItStartedLate() throws SQLException {
        fixture.subscribe(listA, fixture.subscribers(3, "late", i -> "example.org", "L", "active"), "confirmed");
        long id = create(campaign("Late", List.of(listA), BODY));
        Instant missed = Instant.now().minus(Duration.ofHours(1));
        // As if Carteiro had been down at send time: the job is stored with a start time long gone.
        QuarkusTransaction.requiringNew().run(() -> {
            Campaign c = repository.findById(id);
            c.status = CampaignStatus.scheduled;
            c.sendAt = missed;
            scheduler.schedule(id, missed);
        });
        JsonPath started = awaitCampaign(id, j -> j.getString("status").equals("running"));
        assertTrue(started.getBoolean("startedLate"));
        assertEquals(3, started.getLong("queued"));
    }

    @Test
    void scheduleShouldRefuseABadOrPastSendTimeAndUnknownCampaigns() {
        long id = create(campaign("When", List.of(listA), BODY));
        api().body("{\"sendAt\": \"tomorrow\"}").post("/api/campaigns/" + id + "/schedule").then().statusCode(400)
                .body("error", containsString("ISO-8601"));
        api().body("{\"sendAt\": \"2020-01-01T00:00:00Z\"}").post("/api/campaigns/" + id + "/schedule").then()
                .statusCode(400).body("error", containsString("past"));
        api().body("{\"sendAt\": \"2037-01-01T09:00:00Z\"}").post("/api/campaigns/" + id + "/schedule").then()
                .statusCode(200).body("status", equalTo("scheduled"))
                .body("sendAt", containsString("2037-01-01T09:00"));
        api().post("/api/campaigns/" + id + "/cancel").then().statusCode(200);
        long other = create(campaign("Too far", List.of(listA), BODY));
        api().body("{\"sendAt\": \"+10000-01-01T09:00:00Z\"}").post("/api/campaigns/" + other + "/schedule").then()
                .statusCode(400).body("error", containsString("9999-12-31"));
        api().post("/api/campaigns/999999999/pause").then().statusCode(404).body("error", containsString("999999999"));
    }

    @Test
    void testSendShouldQueueTransactionalMailThroughTheEngine() throws SQLException {
        long id = create(campaign("Test send", List.of(listA), BODY));
        List<Integer> ids = api().body(Map.of("to", List.of("tester@example.org")))
                .post("/api/campaigns/" + id + "/test").then().statusCode(202).extract().jsonPath().getList("queued");
        assertEquals(1, ids.size());
        assertEquals("[Test] News for Sample Subscriber", fixture.single(
                "SELECT subject FROM outbound_content WHERE outbound_message_id = " + ids.get(0)));
        api().body(Map.of("to", List.of("nope"))).post("/api/campaigns/" + id + "/test").then().statusCode(400);
    }

    @Test
    void anAttributeFilterShouldQueueOnlyTheMatchingSubscribers() throws SQLException {
        // the fixture gives even-numbered subscribers {"city": "Porto"}
        List<Long> people = fixture.subscribers(8, "city", i -> "filter.example", "C", "active");
        fixture.subscribe(listA, people, "confirmed");
        Map<String, Object> body = campaign("Filtered", List.of(listA), BODY);
        body.put("attributeFilter", Map.of("city", "Porto"));
        long id = create(body);
        api().body(Map.of()).post("/api/campaigns/" + id + "/schedule").then().statusCode(200);
        awaitCampaign(id, j -> j.getString("status").equals("running"));
        assertEquals(List.of(people.get(0), people.get(2), people.get(4), people.get(6)), fixture.longs(
                "SELECT subscriber_id FROM outbound_message WHERE campaign_id = " + id + " ORDER BY subscriber_id"));
        Map<String, Object> bad = campaign("Bad filter", List.of(listA), BODY);
        bad.put("attributeFilter", Map.of("ci'ty", "x"));
        api().body(bad).post("/api/campaigns").then().statusCode(400).body("error", containsString("attributeFilter"));
        api().post("/api/campaigns/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void aThrottledCampaignShouldReleaseOnlyWhatItsRateAllowsInQueueOrder() throws SQLException {
        List<Long> people = fixture.subscribers(10, "t", i -> "throttle.example", "T", "active");
        fixture.subscribe(listA, people, "confirmed");
        Map<String, Object> body = campaign("Throttled", List.of(listA), BODY);
        body.put("perHour", 120);
        long id = create(body);
        api().body(Map.of()).post("/api/campaigns/" + id + "/schedule").then().statusCode(200);
        awaitCampaign(id, j -> j.getString("status").equals("running"));
        String due = "SELECT subscriber_id FROM outbound_message WHERE campaign_id = " + id
                + " AND next_attempt_at IS NOT NULL ORDER BY id";
        assertTrue(fixture.longs(due).size() <= 2, "a throttled start holds its rows (the ticker may release 2)");

        assertEquals(CampaignPacer.Step.RELEASED, pacer.advance(id));
        assertEquals(people.subList(0, 2), fixture.longs(due), "a minute's worth at 120/h, oldest rows first");
        pacer.advance(id);
        assertEquals(2, fixture.longs(due).size(), "no credit accrued between two immediate ticks");
        api().post("/api/campaigns/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void resendShouldRequeueOnlyTheFailedRecipientsOfAFinishedCampaign() throws SQLException {
        List<Long> people = fixture.subscribers(6, "f", i -> "resend.example", "F", "active");
        fixture.subscribe(listA, people, "confirmed");
        long id = create(campaign("Resend", List.of(listA), BODY));
        api().body(Map.of()).post("/api/campaigns/" + id + "/schedule").then().statusCode(200);
        awaitCampaign(id, j -> j.getString("status").equals("running"));
        api().post("/api/campaigns/" + id + "/resend-failed").then().statusCode(409);
        // As the engine leaves them: four delivered, two given up after their lifetime.
        fixture.execute("UPDATE outbound_message SET state = 'sent', next_attempt_at = NULL, sent_at = NOW(6)"
                + " WHERE campaign_id = " + id + " AND subscriber_id IN (" + join(people.subList(0, 4)) + ")");
        fixture.execute("UPDATE outbound_message SET state = 'failed', next_attempt_at = NULL, attempts = 9"
                + " WHERE campaign_id = " + id + " AND subscriber_id IN (" + join(people.subList(4, 6)) + ")");
        pacer.advance(id); // or the ticker, whichever comes first
        awaitCampaign(id, j -> j.getString("status").equals("finished"));

        api().post("/api/campaigns/" + id + "/resend-failed").then().statusCode(200)
                .body("status", equalTo("running")).body("queued", equalTo(2)).body("sent", equalTo(4))
                .body("failed", equalTo(0));
        assertEquals(people.subList(4, 6), fixture.longs("SELECT subscriber_id FROM outbound_message WHERE"
                + " campaign_id = " + id + " AND state = 'queued' AND attempts = 0 AND next_attempt_at IS NOT NULL"
                + " ORDER BY id"));
    }

    static String join(List<Long> ids) {
        return String.join(",", ids.stream().map(String::valueOf).toList());
    }

    @SafeVarargs
    static List<Long> concat(List<Long>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
