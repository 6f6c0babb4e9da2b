package io.carteiro.deliverability;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report parsers and the archive opener on realistic reports in the formats of Google (gzip, no namespace),
 * Microsoft (zip, a default namespace) and Yahoo (gzip, two DKIM signatures), an RFC 8460 TLS report, and on hostile
 * input: XXE, billion laughs, gzip and zip bombs, malformed XML and JSON, a report that is not one.
 */
class ReportParsersTest {

    static final long MAX = 20L * 1024 * 1024;

    static byte[] sample(String name) {
        try (InputStream in = ReportParsersTest.class.getResourceAsStream("/reports/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] zip(String name, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(data);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    interface Compressor {
        java.io.OutputStream around(ByteArrayOutputStream out) throws IOException;
    }

    static byte[] compressedZeros(Compressor compressor, int megabytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] megabyte = new byte[1024 * 1024];
        try (java.io.OutputStream z = compressor.around(out)) {
            for (int i = 0; i < megabytes; i++) {
                z.write(megabyte);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static DmarcReport dmarc(byte[] attachment) {
        ReportArchive.Opened opened = ReportArchive.open(attachment, MAX, 200);
        byte[] xml = assertInstanceOf(ReportArchive.Opened.Content.class, opened, opened.toString()).bytes();
        DmarcReportParser.Parsed parsed = DmarcReportParser.parse(xml, 50_000);
        return assertInstanceOf(DmarcReportParser.Parsed.Report.class, parsed, parsed.toString()).report();
    }

    static String refusal(byte[] attachment) {
        ReportArchive.Opened opened = ReportArchive.open(attachment, MAX, 200);
        if (opened instanceof ReportArchive.Opened.Refused r) {
            return r.reason();
        }
        DmarcReportParser.Parsed parsed = DmarcReportParser.parse(((ReportArchive.Opened.Content) opened).bytes(),
                50_000);
        return assertInstanceOf(DmarcReportParser.Parsed.Refused.class, parsed, parsed.toString()).reason();
    }

    @Test
    void googlesGzippedReportShouldGiveEachSourceWithItsResults() {
        DmarcReport r = dmarc(gzip(sample("google.xml")));
        assertEquals("google.com", r.orgName());
        assertEquals("17330428416921835561", r.reportId());
        assertEquals("news.carteiro.test", r.domain());
        assertEquals("none", r.policy());
        assertEquals(100, r.percent());
        assertEquals("r", r.adkim());
        assertEquals(Instant.ofEpochSecond(1764460800), r.begin());
        assertEquals(2, r.rows().size());
        assertEquals(1435, r.messages());
        assertEquals(1432, r.alignedPasses());
        DmarcReport.Row spoof = r.rows().get(1);
        assertEquals("2001:db8::17", spoof.sourceIp());
        assertEquals("fail", spoof.dkim());
        assertNull(spoof.dkimDomain());
        assertEquals("spoofer.example", spoof.spfDomain());
        assertEquals("softfail", spoof.spfResult());
    }

    @Test
    void microsoftsZippedNamespacedReportShouldReadTheSame() {
        DmarcReport r = dmarc(zip("enterprise.protection.outlook.com!news.carteiro.test!1764460800!1764547200.xml",
                sample("microsoft.xml")));
        assertEquals("Enterprise Outlook", r.orgName());
        assertEquals("quarantine", r.policy());
        assertEquals(222, r.messages());
        assertEquals(210, r.alignedPasses(), "aligned DKIM passes even where SPF is not aligned");
        DmarcReport.Row quarantined = r.rows().get(1);
        assertEquals("quarantine", quarantined.disposition());
        assertEquals("local_policy", quarantined.reasons());
        assertEquals("bounces.other.test", r.rows().get(0).envelopeFrom());
    }

    @Test
    void yahoosReportShouldKeepTheFirstDkimSignature() {
        DmarcReport r = dmarc(gzip(sample("yahoo.xml")));
        assertEquals("Yahoo", r.orgName());
        assertEquals("s", r.adkim());
        assertEquals("reject", r.policy());
        assertEquals("news.carteiro.test", r.rows().get(0).dkimDomain());
        assertEquals("pass", r.rows().get(0).dkimResult());
        assertEquals(87, r.alignedPasses());
    }

    @Test
    void xxeAndEntityExpansionShouldBeRefusedWithoutReadingAnyFile() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<feedback><report_metadata><org_name>&x;</org_name></report_metadata></feedback>";
        assertTrue(refusal(xxe.getBytes(StandardCharsets.UTF_8)).contains("DOCTYPE"));
        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) {
            laughs.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";")
                    .repeat(10)).append("\">");
        }
        laughs.append("]><feedback><report_metadata><org_name>&lol9;</org_name></report_metadata></feedback>");
        assertTrue(refusal(gzip(laughs.toString().getBytes(StandardCharsets.UTF_8))).contains("DOCTYPE"));
        String undeclared = "<feedback><report_metadata><org_name>&ext;</org_name></report_metadata></feedback>";
        String reason = refusal(undeclared.getBytes(StandardCharsets.UTF_8));
        assertTrue(reason.contains("entity") || reason.contains("well-formed"), reason);
    }

    @Test
    void decompressionBombsShouldBeRefusedBeforeTheyAreWhole() {
        // 64 MB of zeros, written a megabyte at a time so the test itself never holds them (the test JVM is shared)
        byte[] gzBomb = compressedZeros(out -> new GZIPOutputStream(out), 64);
        assertTrue(gzBomb.length < 100_000, "64 MB of zeros gzip to " + gzBomb.length + " bytes");
        assertTrue(refusal(gzBomb).contains("decompression bomb"), refusal(gzBomb));
        byte[] zipBomb = compressedZeros(out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry("report.xml"));
            return zip;
        }, 64);
        assertTrue(refusal(zipBomb).contains("decompression bomb"), refusal(zipBomb));
        ReportArchive.Opened big = ReportArchive.open(gzip(new byte[2048]), 1000, 200);
        assertTrue(((ReportArchive.Opened.Refused) big).reason().contains("larger than 1000 bytes"), big.toString());
        ReportArchive.Opened damaged = ReportArchive.open(new byte[]{0x1f, (byte) 0x8b, 8, 0, 1, 2}, MAX, 200);
        assertTrue(((ReportArchive.Opened.Refused) damaged).reason().contains("damaged"), damaged.toString());
        assertTrue(refusal(zip("notes.txt", "hello".getBytes())).contains("no .xml or .json"));
    }

    @Test
    void malformedAndForeignDocumentsShouldBeRefusedWithTheReason() {
        assertTrue(refusal("<feedback><report_metadata>".getBytes()).contains("not well-formed"));
        assertTrue(refusal("<html><body>hi</body></html>".getBytes()).contains("no <feedback> root"));
        String noId = new String(sample("google.xml"), StandardCharsets.UTF_8).replace("<report_id>17330428416921835561"
                + "</report_id>", "");
        assertTrue(refusal(noId.getBytes(StandardCharsets.UTF_8)).contains("report_id"));
        String badIp = new String(sample("google.xml"), StandardCharsets.UTF_8).replace("192.0.2.25", "mx.evil");
        assertTrue(refusal(badIp.getBytes(StandardCharsets.UTF_8)).contains("source_ip"));
        byte[] many = new String(sample("google.xml"), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        DmarcReportParser.Parsed tooMany = DmarcReportParser.parse(many, 1);
        assertTrue(((DmarcReportParser.Parsed.Refused) tooMany).reason().contains("more than 1 records"));
    }

    @Test
    void anRfc8460TlsReportShouldGiveItsPoliciesAndFailures() {
        byte[] json = ((ReportArchive.Opened.Content) ReportArchive.open(gzip(sample("tlsrpt.json")), MAX, 200))
                .bytes();
        TlsReportParser.Parsed parsed = TlsReportParser.parse(json, 1000);
        TlsReport r = assertInstanceOf(TlsReportParser.Parsed.Report.class, parsed, parsed.toString()).report();
        assertEquals("Google Inc.", r.orgName());
        assertEquals(5326, r.successful());
        assertEquals(303, r.failed());
        TlsReport.Policy p = r.policies().get(0);
        assertEquals("sts", p.type());
        assertEquals("news.carteiro.test", p.domain());
        assertEquals("certificate-expired", p.failures().get(0).resultType());
        assertEquals("203.0.113.56", p.failures().get(0).receivingIp());
        assertEquals(300, p.failures().get(0).sessions());
        assertEquals("https://reports.example/starttls", p.failures().get(1).detail());
    }

    @Test
    void brokenOrHostileTlsReportsShouldBeRefused() {
        assertInstanceOf(TlsReportParser.Parsed.Refused.class, TlsReportParser.parse("{\"organization-name\":".getBytes(),
                10));
        assertInstanceOf(TlsReportParser.Parsed.Refused.class, TlsReportParser.parse("[1,2]".getBytes(), 10));
        String deep = "[".repeat(5000) + "]".repeat(5000);
        TlsReportParser.Parsed nested = TlsReportParser.parse(deep.getBytes(), 10);
        assertTrue(((TlsReportParser.Parsed.Refused) nested).reason().contains("not valid JSON"), nested.toString());
        String negative = new String(sample("tlsrpt.json"), StandardCharsets.UTF_8).replace("5326", "-5");
        assertTrue(((TlsReportParser.Parsed.Refused) TlsReportParser.parse(negative.getBytes(), 10)).reason()
                .contains("session counts"));
        TlsReportParser.Parsed many = TlsReportParser.parse(sample("tlsrpt.json"), 1);
        assertTrue(((TlsReportParser.Parsed.Refused) many).reason().contains("more than 1 failure details"));
    }
}
