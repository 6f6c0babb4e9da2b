package io.carteiro.engagement;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * A report as CSV for spreadsheets: a section per table (totals, links, domains, timeline, previous campaigns),
 * each with its own header row, separated by an empty line. Cells that a spreadsheet would run as a formula
 * (a link target starting with {@code =}, {@code +}, {@code -}, {@code @}) are prefixed with a quote.
 */
final class ReportCsv {

    private ReportCsv() {
    }

    static String of(CampaignReport r) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
            csv.printRecord("campaign", "delivered", "deferred", "bounced", "hard_bounces", "soft_bounces", "blocked",
                    "failed", "complaints", "unsubscribed", "human_clicks", "machine_clicks", "unique_human_clicks",
                    "human_opens", "machine_opens", "unique_human_opens", "click_to_open");
            csv.printRecord(safe(r.name()), r.delivered(), r.deferred(), r.bounced(), r.hardBounces(),
                    r.softBounces(), r.blocked(), r.failed(), r.complaints(), r.unsubscribed(), r.clicks().human(),
                    r.clicks().machine(), r.clicks().uniqueHuman(), r.opens().human(), r.opens().machine(),
                    r.opens().uniqueHuman(), r.clickToOpen() == null ? "" : r.clickToOpen());
            csv.println();
            csv.printRecord("link", "url", "human_clicks", "machine_clicks", "unique_human_clicks");
            for (CampaignReport.Link l : r.links()) {
                csv.printRecord(l.linkNo(), safe(l.url()), l.human(), l.machine(), l.uniqueHuman());
            }
            csv.println();
            csv.printRecord("domain", "delivered", "deferred", "bounced", "blocked", "human_clicks", "machine_clicks");
            for (CampaignReport.Domain d : r.domains()) {
                csv.printRecord(safe(d.domain()), d.delivered(), d.deferred(), d.bounced(), d.blocked(),
                        d.humanClicks(), d.machineClicks());
            }
            csv.println();
            csv.printRecord("hour_utc", "delivered", "human_clicks", "machine_clicks", "human_opens", "machine_opens");
            for (CampaignReport.Hour h : r.timeline()) {
                csv.printRecord(h.hour(), h.delivered(), h.humanClicks(), h.machineClicks(), h.humanOpens(),
                        h.machineOpens());
            }
            csv.println();
            csv.printRecord("previous_campaign", "started_utc", "delivered", "bounced", "complaints", "unsubscribed",
                    "human_clicks", "unique_human_clicks", "machine_clicks", "human_opens", "click_to_open");
            for (CampaignReport.Summary s : r.previous()) {
                csv.printRecord(safe(s.name()), s.startedAt() == null ? "" : s.startedAt(), s.delivered(),
                        s.bounced(), s.complaints(), s.unsubscribed(), s.humanClicks(), s.uniqueHumanClicks(),
                        s.machineClicks(), s.humanOpens(), s.clickToOpen() == null ? "" : s.clickToOpen());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Keeps a spreadsheet from running a cell as a formula (CSV injection). */
    static String safe(String cell) {
        if (cell == null || cell.isEmpty()) {
            return "";
        }
        char first = cell.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + cell : cell;
    }
}
