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
 * domain (Google's gzip, Microsoft's zip; a TLS-RPT mail through the listener is not covered yet), and from the bounce
 * mailbox (Yahoo's,
 * recognised by its subject); stored once, shown over the API, and a malformed, an oversized and an XXE-laden report
 * refused and recorded without harm.
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
    void aReportInTheBounceMailboxShouldBeRecognisedByItsSubjectAndStored() throws Exception {
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
            greenMail.getManagers().getUserManager().getUser(user).deliver(new MimeMessage(MAIL,
                    new ByteArrayInputStream(raw)));
            var result = reader.poll(new MailboxSettings("imap", "127.0.0.1", greenMail.getImap().getPort(),
                    MailboxSecurity.NONE, true, MailboxReaderTest.NO_TRUST, user, "secret", "INBOX", Optional.empty(),
                    100, java.time.Duration.ofMinutes(5)));
            assertTrue(result instanceof MailboxReader.Polled p && p.read() == 1, result.summary());
            JsonPath y = findDmarc(yahoo);
            assertEquals("Yahoo", y.getString("report.orgName"));
            assertEquals("mailbox", y.getString("report.channel"));
            assertEquals(87, y.getLong("report.alignedPass"));
        } finally {
            greenMail.stop();
        }
    }
}
