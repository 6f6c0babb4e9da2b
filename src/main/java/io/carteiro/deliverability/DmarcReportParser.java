package io.carteiro.deliverability;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Parses a DMARC aggregate report with the JDK's StAX parser, hardened: no DTD is allowed at all (a DOCTYPE is how
 * XXE and "billion laughs" arrive, and no reporter sends one), external entities are off, and element names are
 * matched by local name so the reports of Google and Yahoo (no namespace), Microsoft's and DMARCbis' (a default
 * namespace) read the same. Every text is length-capped and the record count bounded.
 */
final class DmarcReportParser {

    /** The report, or why it was refused. */
    sealed interface Parsed permits Parsed.Report, Parsed.Refused {
        record Report(DmarcReport report) implements Parsed {
        }

        record Refused(String reason) implements Parsed {
        }
    }

    private static final XMLInputFactory FACTORY = factory();
    private static final int MAX_TEXT = 1000;

    private DmarcReportParser() {
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    static Parsed parse(byte[] xml, int maxRecords) {
        Builder b = new Builder();
        XMLStreamReader r = null;
        try {
            r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
            Deque<String> path = new ArrayDeque<>();
            StringBuilder text = new StringBuilder();
            while (r.hasNext()) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.DTD -> {
                        return new Parsed.Refused("the report has a DOCTYPE (refused: DMARC reports have none, and "
                                + "a DTD is how entity attacks arrive)");
                    }
                    case XMLStreamConstants.ENTITY_REFERENCE -> {
                        return new Parsed.Refused("the report uses an undeclared entity");
                    }
                    case XMLStreamConstants.START_ELEMENT -> {
                        path.addLast(r.getLocalName().toLowerCase(Locale.ROOT));
                        if (path.size() > 8) {
                            return new Parsed.Refused("the report nests elements deeper than a DMARC report does");
                        }
                        text.setLength(0);
                        if (path.size() == 2 && "record".equals(path.peekLast())) {
                            if (b.rows.size() >= maxRecords) {
                                return new Parsed.Refused("the report has more than " + maxRecords + " records");
                            }
                            b.row = new RowBuilder();
                        }
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (text.length() < MAX_TEXT) {
                            text.append(r.getText(), 0, Math.min(r.getTextLength(), MAX_TEXT - text.length()));
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        String p = String.join("/", path);
                        b.take(p, text.toString().strip());
                        text.setLength(0);
                        path.removeLast();
                    }
                    default -> {
                    }
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            return new Parsed.Refused("the report is not well-formed XML (" + Texts.shorten(
                    String.valueOf(e.getMessage()).replaceAll("\\s+", " "), 200) + ")");
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing held open: the input is a byte array
                }
            }
        }
        return b.build();
    }

    private static final class RowBuilder {
        String sourceIp;
        String count;
        String disposition;
        String dkim;
        String spf;
        String headerFrom;
        String envelopeFrom;
        String dkimDomain;
        String dkimResult;
        String spfDomain;
        String spfResult;
        final List<String> reasons = new ArrayList<>();
        boolean inDkim;
    }

    private static final class Builder {
        String root;
        String orgName;
        String email;
        String reportId;
        String begin;
        String end;
        String domain;
        String p;
        String sp;
        String pct;
        String adkim;
        String aspf;
        RowBuilder row;
        final List<DmarcReport.Row> rows = new ArrayList<>();
        String problem;

        void take(String path, String value) {
            if (root == null) {
                root = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
            }
            switch (path) {
                case "feedback/report_metadata/org_name" -> orgName = value;
                case "feedback/report_metadata/email" -> email = value;
                case "feedback/report_metadata/report_id" -> reportId = value;
                case "feedback/report_metadata/date_range/begin" -> begin = value;
                case "feedback/report_metadata/date_range/end" -> end = value;
                case "feedback/policy_published/domain" -> domain = value;
                case "feedback/policy_published/p" -> p = value;
                case "feedback/policy_published/sp" -> sp = value;
                case "feedback/policy_published/pct" -> pct = value;
                case "feedback/policy_published/adkim" -> adkim = value;
                case "feedback/policy_published/aspf" -> aspf = value;
                case "feedback/record/row/source_ip" -> row.sourceIp = value;
                case "feedback/record/row/count" -> row.count = value;
                case "feedback/record/row/policy_evaluated/disposition" -> row.disposition = value;
                case "feedback/record/row/policy_evaluated/dkim" -> row.dkim = value;
                case "feedback/record/row/policy_evaluated/spf" -> row.spf = value;
                case "feedback/record/row/policy_evaluated/reason/type" -> row.reasons.add(value);
                case "feedback/record/identifiers/header_from" -> row.headerFrom = value;
                case "feedback/record/identifiers/envelope_from" -> row.envelopeFrom = value;
                case "feedback/record/auth_results/dkim/domain" -> {
                    if (row.dkimDomain == null) {
                        row.dkimDomain = value;
                        row.inDkim = true;
                    }
                }
                case "feedback/record/auth_results/dkim/result" -> {
                    if (row.inDkim && row.dkimResult == null) {
                        row.dkimResult = value;
                    }
                }
                case "feedback/record/auth_results/dkim" -> row.inDkim = false;
                case "feedback/record/auth_results/spf/domain" -> {
                    if (row.spfDomain == null) {
                        row.spfDomain = value;
                    }
                }
                case "feedback/record/auth_results/spf/result" -> {
                    if (row.spfResult == null) {
                        row.spfResult = value;
                    }
                }
                case "feedback/record" -> finishRow();
                default -> {
                }
            }
        }

        private void finishRow() {
            RowBuilder r = row;
            row = null;
            if (problem != null) {
                return;
            }
            if (r.sourceIp == null || !validAddress(r.sourceIp)) {
                problem = "a record's source_ip '" + Texts.shorten(String.valueOf(r.sourceIp)) + "' is not an address";
                return;
            }
            long count;
            try {
                count = Long.parseLong(r.count == null ? "" : r.count);
            } catch (NumberFormatException e) {
                problem = "a record's count '" + Texts.shorten(String.valueOf(r.count)) + "' is not a number";
                return;
            }
            if (count < 0 || count > 1_000_000_000_000L) {
                problem = "a record's count " + count + " is out of range";
                return;
            }
            rows.add(new DmarcReport.Row(r.sourceIp, count, word(r.disposition, "none"), word(r.dkim, "fail"),
                    word(r.spf, "fail"), lower(r.headerFrom, 253), lower(r.envelopeFrom, 253),
                    lower(r.dkimDomain, 253), word(r.dkimResult, null), lower(r.spfDomain, 253),
                    word(r.spfResult, null), r.reasons.isEmpty() ? null
                    : Texts.shorten(String.join(", ", r.reasons), 500)));
        }

        Parsed build() {
            if (!"feedback".equals(root)) {
                return new Parsed.Refused("the document is not a DMARC aggregate report (no <feedback> root)");
            }
            if (problem != null) {
                return new Parsed.Refused(problem);
            }
            if (isBlank(orgName) || isBlank(reportId) || isBlank(domain)) {
                return new Parsed.Refused("the report lacks its org_name, report_id or policy_published domain");
            }
            Instant from;
            Instant to;
            try {
                from = Instant.ofEpochSecond(Long.parseLong(begin));
                to = Instant.ofEpochSecond(Long.parseLong(end));
            } catch (RuntimeException e) {
                return new Parsed.Refused("the report's date_range is not two epoch seconds");
            }
            if (to.isBefore(from) || from.getEpochSecond() < 0 || to.getEpochSecond() > 32_503_680_000L) {
                return new Parsed.Refused("the report's date_range is out of order or out of range");
            }
            Integer percent = null;
            if (!isBlank(pct)) {
                try {
                    percent = Math.max(0, Math.min(100, Integer.parseInt(pct)));
                } catch (NumberFormatException e) {
                    percent = null;
                }
            }
            return new Parsed.Report(new DmarcReport(Texts.shorten(orgName, 255), email == null ? null
                    : Texts.shorten(email, 320), Texts.shorten(reportId, 255), from, to, lower(domain, 253),
                    word(p, null), word(sp, null), percent, letter(adkim), letter(aspf), List.copyOf(rows)));
        }
    }

    static boolean validAddress(String ip) {
        String s = ip.strip();
        boolean v6 = s.contains(":");
        return SpfRecord.literal(s, v6) != null;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String lower(String s, int max) {
        return isBlank(s) ? null : Texts.shorten(s.strip().toLowerCase(Locale.ROOT), max);
    }

    /** A result word (pass, fail, none, quarantine...): lower case, at most 10 characters. */
    private static String word(String s, String fallback) {
        if (isBlank(s)) {
            return fallback;
        }
        String w = s.strip().toLowerCase(Locale.ROOT);
        return w.length() <= 10 ? w : w.substring(0, 10);
    }

    private static String letter(String s) {
        return isBlank(s) ? null : s.strip().substring(0, 1).toLowerCase(Locale.ROOT);
    }
}
