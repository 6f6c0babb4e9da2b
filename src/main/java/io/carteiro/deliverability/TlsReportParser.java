package io.carteiro.deliverability;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses an SMTP TLS report (RFC 8460 JSON) with Jackson under tight read constraints (nesting, string and number
 * lengths), after the archive has capped its size. Unknown members are ignored, as the RFC asks.
 */
final class TlsReportParser {

    /** The report, or why it was refused. */
    sealed interface Parsed permits Parsed.Report, Parsed.Refused {
        record Report(TlsReport report) implements Parsed {
        }

        record Refused(String reason) implements Parsed {
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(100_000)
                    .maxNumberLength(20).build()).build());

    private TlsReportParser() {
    }

    static Parsed parse(byte[] json, int maxFailures) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException | RuntimeException e) {
            return new Parsed.Refused("the report is not valid JSON (" + Texts.shorten(
                    String.valueOf(e.getMessage()).replaceAll("\\s+", " "), 200) + ")");
        }
        if (root == null || !root.isObject()) {
            return new Parsed.Refused("the report is not a JSON object");
        }
        String org = text(root, "organization-name", 255);
        String id = text(root, "report-id", 255);
        JsonNode range = root.path("date-range");
        if (org == null || id == null || !range.isObject() || !root.path("policies").isArray()) {
            return new Parsed.Refused("the report lacks organization-name, report-id, date-range or policies");
        }
        Instant begin;
        Instant end;
        try {
            begin = Instant.parse(range.path("start-datetime").asText(""));
            end = Instant.parse(range.path("end-datetime").asText(""));
        } catch (DateTimeParseException e) {
            return new Parsed.Refused("the report's date-range is not two RFC 3339 times");
        }
        if (end.isBefore(begin)) {
            return new Parsed.Refused("the report's date-range ends before it starts");
        }
        List<TlsReport.Policy> policies = new ArrayList<>();
        int failures = 0;
        for (JsonNode p : root.path("policies")) {
            JsonNode policy = p.path("policy");
            JsonNode summary = p.path("summary");
            String type = text(policy, "policy-type", 16);
            String domain = text(policy, "policy-domain", 253);
            if (type == null || domain == null || !summary.isObject()) {
                return new Parsed.Refused("a policy lacks its policy-type, policy-domain or summary");
            }
            List<String> mx = new ArrayList<>();
            policy.path("mx-host").forEach(h -> mx.add(h.asText()));
            List<TlsReport.Failure> details = new ArrayList<>();
            for (JsonNode f : p.path("failure-details")) {
                if (++failures > maxFailures) {
                    return new Parsed.Refused("the report has more than " + maxFailures + " failure details");
                }
                String result = text(f, "result-type", 40);
                if (result == null) {
                    return new Parsed.Refused("a failure detail lacks its result-type");
                }
                details.add(new TlsReport.Failure(result.toLowerCase(Locale.ROOT), address(f, "sending-mta-ip"),
                        text(f, "receiving-mx-hostname", 253), address(f, "receiving-ip"),
                        count(f.path("failed-session-count")), text(f, "additional-information", 500) != null
                        ? text(f, "additional-information", 500) : text(f, "failure-reason-code", 500)));
            }
            long ok = count(summary.path("total-successful-session-count"));
            long failed = count(summary.path("total-failure-session-count"));
            if (ok < 0 || failed < 0) {
                return new Parsed.Refused("a policy's session counts are not whole numbers");
            }
            policies.add(new TlsReport.Policy(type.toLowerCase(Locale.ROOT), domain.toLowerCase(Locale.ROOT),
                    mx.isEmpty() ? null : Texts.shorten(String.join(" ", mx), 1000), ok, failed, details));
        }
        return new Parsed.Report(new TlsReport(org, id, text(root, "contact-info", 320), begin, end, policies));
    }

    private static String text(JsonNode node, String field, int max) {
        JsonNode v = node.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            return null;
        }
        return Texts.shorten(v.asText().strip(), max);
    }

    private static String address(JsonNode node, String field) {
        String a = text(node, field, 45);
        return a != null && DmarcReportParser.validAddress(a) ? a : null;
    }

    /** A session count, or -1 when it is not a whole number in range. */
    private static long count(JsonNode v) {
        return v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0 ? v.asLong() : v.isMissingNode() ? 0
                : -1;
    }
}
