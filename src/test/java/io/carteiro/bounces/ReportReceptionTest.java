package io.carteiro.bounces;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.activation.DataHandler;
import jakarta.inject.Inject;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DMARC aggregate reports arriving as receivers send them: by SMTP to the listener at the rua address of the bounce
 * domain (Google's gzip, Microsoft's zip and namespaced XML, a TLS-RPT report), and from the bounce mailbox (Yahoo's
 * and Microsoft's, recognised by their subjects, and a TLS-RPT report, by its content type); stored once, shown over
 * the API, the alerts they raise (an unknown source, aligned passes falling) on the pages and in the API, and a
 * malformed, an oversized and an XXE-laden report refused and recorded without harm.
 */
@QuarkusTest
class ReportReceptionTest {

    static final Session MAIL = Session.getInstance(new Properties());

    @Inject
    BounceListener listener;
    @Inject
    MailboxReader reader;
    @Inject
    BounceTestData data;

    final String tag = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50), 36);

    static RequestSpecification api() {
        return given().auth().preemptive().basic("admin@carteiro.test", "correct horse battery staple")
                .contentType(ContentType.JSON);
    }

    static byte[] sample(String name) throws IOException {
        try (InputStream in = ReportReceptionTest.class.getResourceAsStream("/reports/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The sample with its report id made unique to this run (reports are stored once per organisation and id). */
    byte[] unique(String name, String reportId) throws IOException {
        // and its period yesterday, so that it falls in the page's last 30 days whenever the test runs
        long end = java.time.Instant.now().getEpochSecond() - 86_400;
        return new String(sample(name), StandardCharsets.UTF_8).replace(reportId, reportId + "-" + tag)
                .replace("1764460800", Long.toString(end - 86_399)).replace("1764547199", Long.toString(end))
                .replace("1764547200", Long.toString(end)).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    static byte[] zip(String name, byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(name));
            z.write(bytes);
            z.closeEntry();
        }
        return out.toByteArray();
    }

    /** A report mail as reporters send it: a short text part and the report attached. */
    static byte[] mail(String from, String to, String subject, String multipartSubtype, String contentType,
                       String fileName, byte[] report) throws Exception {
        MimeMessage m = new MimeMessage(MAIL);
        m.setFrom(new InternetAddress(from));
        m.setRecipients(MimeMessage.RecipientType.TO, to);
        m.setSubject(subject);
        MimeMultipart multipart = new MimeMultipart(multipartSubtype);
        MimeBodyPart text = new MimeBodyPart();
        text.setText("This is an aggregate report.", "UTF-8");
        multipart.addBodyPart(text);
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(report, contentType)));
        attachment.setFileName(fileName);
        multipart.addBodyPart(attachment);
        m.setContent(multipart);
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    /**
     * A TLS-RPT mail as RFC 8460 §5.3 describes it and Google sends it, written out: multipart/report of type tlsrpt
     * (the mail library writes a multipart/report only for its own DSN type), the report gzipped and base64-encoded.
     */
    static byte[] tlsMail(String from, String to, String reportId, byte[] gzippedReport) {
        String boundary = "----=_Part_tlsrpt_" + reportId.hashCode();
        String name = "google.com!news.carteiro.test!1764460800!1764547199!001.json.gz";
        return ("From: " + from + "\r\nTo: " + to + "\r\nSubject: Report Domain: news.carteiro.test Submitter: "
                + "google.com Report-ID: <" + reportId + ">\r\nTLS-Report-Domain: news.carteiro.test\r\n"
                + "TLS-Report-Submitter: google.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; "
                + "report-type=\"tlsrpt\";\r\n\tboundary=\"" + boundary + "\"\r\n\r\n--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nThis is an aggregate TLS report from google.com"
                + "\r\n\r\n--" + boundary + "\r\nContent-Type: application/tlsrpt+gzip; name=\"" + name + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\n"
                + "\r\n" + java.util.Base64.getMimeEncoder(76, new byte[]{'\r', '\n'}).encodeToString(gzippedReport)
                + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    String send(String rcpt, byte[] message) throws IOException {
        try (SmtpDialogue smtp = new SmtpDialogue(listener.port())) {
            assertTrue(smtp.send("EHLO reporter.example").startsWith("250"));
            assertTrue(smtp.send("MAIL FROM:<noreply-dmarc-support@google.example>").startsWith("250"));
            String rcptReply = smtp.send("RCPT TO:<" + rcpt + ">");
            assertTrue(rcptReply.startsWith("250"), rcpt + ": " + rcptReply);
            assertTrue(smtp.send("DATA").startsWith("354"));
            String reply = smtp.data(message);
            smtp.send("QUIT");
            return reply;
        }
    }

    JsonPath findDmarc(String reportId) {
        JsonPath page = api().queryParam("size", 200).get("/api/dmarc-reports").then().statusCode(200).extract()
                .jsonPath();
        List<Map<String, Object>> items = page.getList("items");
        Map<String, Object> item = items.stream().filter(i -> reportId.equals(i.get("reportId"))).findFirst()
                .orElse(null);
        assertTrue(item != null, "report " + reportId + " is listed: " + page.prettify());
        long id = ((Number) item.get("id")).longValue();
        return api().get("/api/dmarc-reports/" + id).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void reportsSentToTheRuaAddressesShouldBeStoredOnceAndShown() throws Exception {
        String google = "17330428416921835561-" + tag;
        byte[] googleMail = mail("noreply-dmarc-support@google.example", "dmarc-reports@bounces.carteiro.test",
                "Report domain: news.carteiro.test Submitter: google.com Report-ID: " + google, "mixed",
                "application/gzip",
                "google.com!news.carteiro.test!1764460800!1764547199.xml.gz",
                gzip(unique("google.xml", "17330428416921835561")));
        assertTrue(send("dmarc-reports@bounces.carteiro.test", googleMail).startsWith("250"));
        assertTrue(send("dmarc-reports@bounces.carteiro.test", googleMail).startsWith("250"), "a resent report");

        String microsoft = "9f3c1f3e6a2b4d7c8e0f1a2b3c4d5e6f-" + tag;
        assertTrue(send("DMARC-Reports@bounces.carteiro.test", mail("dmarcreport@microsoft.example",
                "dmarc-reports@bounces.carteiro.test", "Report Domain: news.carteiro.test Submitter: "
                        + "enterprise.protection.outlook.com Report-ID: <" + microsoft + ">", "mixed",
                "application/zip", "enterprise.protection.outlook.com!news.carteiro.test!1764460800!1764547200.zip",
                zip("report.xml", unique("microsoft.xml", "9f3c1f3e6a2b4d7c8e0f1a2b3c4d5e6f")))).startsWith("250"));

        JsonPath g = findDmarc(google);
        assertEquals("google.com", g.getString("report.orgName"));
        assertEquals(1435, g.getLong("report.messages"));
        assertEquals(1432, g.getLong("report.alignedPass"));
        assertEquals("listener", g.getString("report.channel"));
        assertEquals(List.of("192.0.2.25", "2001:db8::17"), g.getList("records.sourceIp"));
        assertEquals(1, data.count("select count(*) from dmarc_report where report_id = '" + google + "'"),
                "a resent report is stored once");
        JsonPath ms = findDmarc(microsoft);
        assertEquals("quarantine", ms.getString("report.policy"));
        assertEquals(List.of("none", "quarantine"), ms.getList("records.disposition"));

        String cookie = given().redirects().follow(false).header("X-Forwarded-For", "10.9.3.8")
                .formParam("j_username", "admin@carteiro.test")
                .formParam("j_password", "correct horse battery staple").post("/j_security_check")
                .cookie("carteiro-session");
        String page = given().cookie("carteiro-session", cookie).get("/admin/deliverability/reports").then()
                .statusCode(200).extract().asString();
        assertTrue(page.contains("Enterprise Outlook"), "per organisation");
        assertTrue(page.contains("data-source=\"2001:db8::17\""), "per source address");
        assertTrue(page.contains("data-alert=\"unknown-source\"") && page.contains("2001:db8::17 sent"),
                "a source outside this installation failing DMARC raises an alert");

        api().get("/api/dmarc-reports/987654321").then().statusCode(404);
        api().queryParam("size", 0).get("/api/dmarc-reports").then().statusCode(400);
        api().queryParam("size", 5000).get("/api/tls-reports").then().statusCode(400);
        api().get("/api/tls-reports").then().statusCode(200);
    }

    /** A row of a report in Google's format: the policy's results and the authentication results behind them. */
    record Row(String ip, int count, String dkim, String spf, String dkimDomain, String spfDomain) {
    }

    /** An aggregate report as Google writes it (no namespace; Google sends it gzipped). */
    static byte[] googleReport(String reportId, String domain, long begin, long end, List<Row> rows) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<feedback>\n"
                + "  <version>1.0</version>\n  <report_metadata>\n    <org_name>google.com</org_name>\n"
                + "    <email>noreply-dmarc-support@google.com</email>\n"
                + "    <extra_contact_info>https://support.google.com/a/answer/2466580</extra_contact_info>\n"
                + "    <report_id>" + reportId + "</report_id>\n    <date_range>\n      <begin>" + begin
                + "</begin>\n      <end>" + end + "</end>\n    </date_range>\n  </report_metadata>\n"
                + "  <policy_published>\n    <domain>" + domain + "</domain>\n    <adkim>r</adkim>\n"
                + "    <aspf>r</aspf>\n    <p>none</p>\n    <sp>none</sp>\n    <pct>100</pct>\n    <np>none</np>\n"
                + "  </policy_published>\n");
        for (Row r : rows) {
            x.append("  <record>\n    <row>\n      <source_ip>").append(r.ip()).append("</source_ip>\n      <count>")
                    .append(r.count()).append("</count>\n      <policy_evaluated>\n        <disposition>none"
                            + "</disposition>\n        <dkim>").append(r.dkim()).append("</dkim>\n        <spf>")
                    .append(r.spf()).append("</spf>\n      </policy_evaluated>\n    </row>\n    <identifiers>\n"
                            + "      <header_from>").append(domain).append("</header_from>\n    </identifiers>\n"
                            + "    <auth_results>\n      <dkim>\n        <domain>").append(r.dkimDomain())
                    .append("</domain>\n        <result>").append(r.dkim()).append("</result>\n"
                            + "        <selector>s20261201</selector>\n      </dkim>\n      <spf>\n        <domain>")
                    .append(r.spfDomain()).append("</domain>\n        <result>").append(r.spf())
                    .append("</result>\n      </spf>\n    </auth_results>\n  </record>\n");
        }
        return x.append("</feedback>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    void sendGoogle(String reportId, String domain, long begin, long end, List<Row> rows) throws Exception {
        assertTrue(send("dmarc-reports@bounces.carteiro.test", mail("noreply-dmarc-support@google.example",
                "dmarc-reports@bounces.carteiro.test", "Report domain: " + domain + " Submitter: google.com "
                        + "Report-ID: " + reportId, "mixed", "application/gzip",
                "google.com!" + domain + "!" + begin + "!" + end + ".xml.gz",
                gzip(googleReport(reportId, domain, begin, end, rows)))).startsWith("250"));
    }

    @Test
    void anUnknownSourceAndFallingAlignedPassesShouldRaiseAlertsOnThePagesAndInTheApi() throws Exception {
        String domain = "alerts-" + tag + ".test";
        String bounce = "bounces." + domain;
        long day = 86_400;
        long now = java.time.Instant.now().getEpochSecond();
        // twelve days ago: all of it passed, from an address the domain's SPF authorises
        sendGoogle("early-" + tag, domain, now - 13 * day, now - 12 * day, List.of(
                new Row("192.0.2.25", 980, "pass", "pass", domain, bounce),
                new Row("192.0.2.25", 20, "pass", "fail", domain, "other.example")));
        // yesterday: DKIM broke for much of the same mail, a stranger sent as the domain, and a forwarder passed the
        // mail on with the domain's signature intact
        sendGoogle("late-" + tag, domain, now - 2 * day, now - day, List.of(
                new Row("192.0.2.25", 400, "pass", "pass", domain, bounce),
                new Row("192.0.2.25", 300, "fail", "fail", domain, "other.example"),
                new Row("203.0.113.66", 25, "fail", "fail", "spoofer.example", "spoofer.example"),
                new Row("198.51.100.20", 40, "pass", "fail", domain, "lists.forwarder.example")));

        List<Map<String, Object>> alerts = api().queryParam("size", 1).get("/api/dmarc-reports").then()
                .statusCode(200).extract().jsonPath().<Map<String, Object>>getList("alerts").stream()
                .filter(a -> domain.equals(a.get("domain"))).toList();
        Map<String, Map<String, Object>> byKind = new java.util.HashMap<>();
        alerts.forEach(a -> byKind.put(a.get("kind") + (a.get("source") == null ? "" : " " + a.get("source")), a));
        assertEquals(java.util.Set.of("unknown-source 203.0.113.66", "aligned-pass-fall", "aligned-pass"),
                byKind.keySet(), "ours, the SPF-authorised address and the DKIM-signed forwarder raise none: " + alerts);
        String fall = (String) byKind.get("aligned-pass-fall").get("message");
        assertTrue(fall.contains("fell to 57.5% of 765 messages") && fall.contains("from 100.0% of 1000"), fall);
        assertTrue(((String) byKind.get("unknown-source 203.0.113.66").get("message"))
                .startsWith("203.0.113.66 sent 25 messages as " + domain + " and failed DMARC on 25"), alerts.toString());

        String cookie = given().redirects().follow(false).header("X-Forwarded-For", "10.9.3.9")
                .formParam("j_username", "admin@carteiro.test")
                .formParam("j_password", "correct horse battery staple").post("/j_security_check")
                .cookie("carteiro-session");
        for (String page : List.of("/admin/deliverability/reports", "/admin/deliverability")) {
            String html = given().cookie("carteiro-session", cookie).get(page).then().statusCode(200).extract()
                    .asString();
            String shown = html.lines().filter(l -> l.contains("data-alert")).collect(
                    java.util.stream.Collectors.joining("\n"));
            assertTrue(html.contains("data-alert=\"aligned-pass-fall\" data-domain=\"" + domain + "\""),
                    page + ":\n" + shown);
            assertTrue(html.contains("data-alert=\"unknown-source\" data-domain=\"" + domain + "\""),
                    page + ":\n" + shown);
        }
        given().cookie("carteiro-session", cookie).get("/admin").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("DMARC alert"))
                .body(org.hamcrest.Matchers.containsString(domain));
    }

    @Test
    void aTlsReportSentToItsRuaAddressShouldBeStoredOnceAndShown() throws Exception {
        String reportId = "2026-11-30T00:00:00Z_news.carteiro.test-" + tag;
        byte[] json = new String(sample("tlsrpt.json"), StandardCharsets.UTF_8)
                .replace("2026-11-30T00:00:00Z_news.carteiro.test", reportId).getBytes(StandardCharsets.UTF_8);
        byte[] message = tlsMail("noreply-smtp-tls-reporting@google.example", "tls-reports@bounces.carteiro.test",
                reportId, gzip(json));
        assertTrue(send("tls-reports@bounces.carteiro.test", message).startsWith("250"));
        assertTrue(send("tls-reports@bounces.carteiro.test", message).startsWith("250"), "a resent report");

        JsonPath page = api().queryParam("size", 200).get("/api/tls-reports").then().statusCode(200).extract()
                .jsonPath();
        List<Map<String, Object>> found = page.<Map<String, Object>>getList("items").stream()
                .filter(i -> reportId.equals(((Map<?, ?>) i.get("report")).get("reportId"))).toList();
        assertEquals(1, found.size(), "stored once: " + page.prettify() + "\nrefused: " + data.string(
                "select group_concat(reason order by id separator ' | ') from report_refusal"));
        Map<?, ?> report = (Map<?, ?>) found.get(0).get("report");
        assertEquals("Google Inc.", report.get("orgName"));
        assertEquals("listener", report.get("channel"));
        assertEquals(5326, ((Number) report.get("successful")).intValue());
        assertEquals(303, ((Number) report.get("failed")).intValue());
        List<?> failures = (List<?>) found.get(0).get("failures");
        assertEquals(List.of("certificate-expired", "starttls-not-supported"),
                failures.stream().map(f -> ((Map<?, ?>) f).get("resultType")).toList());
    }

    @Test
    void malformedOversizedAndXxeReportsShouldBeRefusedAndRecorded() throws Exception {
        long before = data.count("select count(*) from report_refusal");
        long stored = data.count("select count(*) from dmarc_report");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<feedback><report_metadata><org_name>&x;</org_name><report_id>xxe-" + tag + "</report_id>"
                + "</report_metadata></feedback>";
        assertTrue(send("dmarc-reports@bounces.carteiro.test", mail("attacker@evil.example",
                "dmarc-reports@bounces.carteiro.test", "Report domain: x", "mixed", "text/xml", "r.xml",
                xxe.getBytes(StandardCharsets.UTF_8))).startsWith("250"));
        assertTrue(send("dmarc-reports@bounces.carteiro.test", mail("attacker@evil.example",
                "dmarc-reports@bounces.carteiro.test", "Report domain: x", "mixed", "application/gzip", "r.xml.gz",
                gzip(new byte[32 * 1024 * 1024]))).startsWith("250"));
        assertTrue(send("dmarc-reports@bounces.carteiro.test", mail("attacker@evil.example",
                "dmarc-reports@bounces.carteiro.test", "Report domain: x", "mixed", "application/gzip", "r.xml.gz",
                gzip("<feedback><report_metadata>".getBytes()))).startsWith("250"));
        assertEquals(before + 3, data.count("select count(*) from report_refusal"));
        assertEquals(stored, data.count("select count(*) from dmarc_report"), "nothing half-written");
        String reasons = data.string("select group_concat(reason order by id separator ' | ') from (select id, reason "
                + "from report_refusal order by id desc limit 3) t");
        assertTrue(reasons.contains("DOCTYPE"), reasons);
        assertTrue(reasons.contains("decompression bomb") || reasons.contains("larger than"), reasons);
        assertTrue(reasons.contains("not well-formed"), reasons);
        assertTrue(!reasons.contains("root:"), "no file content leaks into the record: " + reasons);
    }

    @Test
    void reportsInTheBounceMailboxShouldBeRecognisedAndStored() throws Exception {
        GreenMail greenMail = new GreenMail(new ServerSetup[]{
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort()});
        greenMail.start();
        try {
            String user = "bounces" + tag + "@mail.carteiro.test";
            greenMail.setUser(user, user, "secret");
            String yahoo = "1764547201.783411-" + tag;
            byte[] raw = mail("dmarchelp@yahooinc.example", "postmaster@news.carteiro.test",
                    "Report Domain: news.carteiro.test Submitter: yahoo.com Report-ID: <" + yahoo + ">", "mixed",
                    "application/gzip", "yahoo.com!news.carteiro.test!1764460800!1764547199.xml.gz",
                    gzip(unique("yahoo.xml", "1764547201.783411")));
            String microsoft = "9f3c1f3e6a2b4d7c8e0f1a2b3c4d5e6f-mbox-" + tag;
            byte[] ms = mail("dmarcreport@microsoft.example", "postmaster@news.carteiro.test",
                    "Report Domain: news.carteiro.test Submitter: enterprise.protection.outlook.com Report-ID: <"
                            + microsoft + ">", "mixed", "application/zip",
                    "enterprise.protection.outlook.com!news.carteiro.test!1764460800!1764547200.zip",
                    zip("report.xml", new String(unique("microsoft.xml", "9f3c1f3e6a2b4d7c8e0f1a2b3c4d5e6f"),
                            StandardCharsets.UTF_8).replace("9f3c1f3e6a2b4d7c8e0f1a2b3c4d5e6f-" + tag, microsoft)
                            .getBytes(StandardCharsets.UTF_8)));
            String tlsId = "2026-11-30T00:00:00Z_news.carteiro.test-mbox-" + tag;
            byte[] tls = tlsMail("noreply-smtp-tls-reporting@google.example", "postmaster@news.carteiro.test", tlsId,
                    gzip(new String(sample("tlsrpt.json"), StandardCharsets.UTF_8)
                            .replace("2026-11-30T00:00:00Z_news.carteiro.test", tlsId)
                            .getBytes(StandardCharsets.UTF_8)));
            for (byte[] message : List.of(raw, ms, tls)) {
                greenMail.getManagers().getUserManager().getUser(user).deliver(new MimeMessage(MAIL,
                        new ByteArrayInputStream(message)));
            }
            var result = reader.poll(new MailboxSettings("imap", "127.0.0.1", greenMail.getImap().getPort(),
                    MailboxSecurity.NONE, true, MailboxReaderTest.NO_TRUST, user, "secret", "INBOX", Optional.empty(),
                    100, java.time.Duration.ofMinutes(5)));
            assertTrue(result instanceof MailboxReader.Polled p && p.read() == 3, result.summary());
            JsonPath y = findDmarc(yahoo);
            assertEquals("Yahoo", y.getString("report.orgName"));
            assertEquals("mailbox", y.getString("report.channel"));
            assertEquals(87, y.getLong("report.alignedPass"));
            JsonPath m = findDmarc(microsoft);
            assertEquals("Enterprise Outlook", m.getString("report.orgName"));
            assertEquals("mailbox", m.getString("report.channel"));
            assertEquals(List.of("none", "quarantine"), m.getList("records.disposition"));
            Map<?, ?> tlsReport = api().queryParam("size", 200).get("/api/tls-reports").then().statusCode(200)
                    .extract().jsonPath().<Map<String, Object>>getList("items").stream()
                    .map(i -> (Map<?, ?>) i.get("report")).filter(r -> tlsId.equals(r.get("reportId"))).findFirst()
                    .orElseThrow(() -> new AssertionError("the TLS report from the mailbox is stored; refused: "
                            + data.string("select group_concat(reason order by id separator ' | ') from "
                            + "report_refusal")));
            assertEquals("mailbox", tlsReport.get("channel"));
            assertEquals(303, ((Number) tlsReport.get("failed")).intValue());
        } finally {
            greenMail.stop();
        }
    }
}
