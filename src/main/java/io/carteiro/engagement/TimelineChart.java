package io.carteiro.engagement;

import java.util.List;

/**
 * The report's timeline as an SVG bar chart drawn on the server (no script, no inline style: the pages' CSP allows
 * neither): per hour, a bar of people's clicks with machines' clicks stacked above it, each with a title that
 * screen readers and tooltips show. Only numbers and fixed words go into the markup, so nothing needs escaping.
 */
final class TimelineChart {

    static final int WIDTH = 960;
    static final int HEIGHT = 200;
    private static final int AXIS = 20;

    private TimelineChart() {
    }

    static String svg(List<CampaignReport.Hour> hours) {
        long max = 1;
        for (CampaignReport.Hour h : hours) {
            max = Math.max(max, h.humanClicks() + h.machineClicks());
        }
        int n = Math.max(1, hours.size());
        double slot = (double) WIDTH / n;
        double bar = Math.max(1, slot - 2);
        double plot = HEIGHT - AXIS;
        StringBuilder out = new StringBuilder(256 + hours.size() * 200);
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"timeline-chart\" role=\"img\"")
                .append(" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\"")
                .append(" aria-label=\"clicks per hour\">");
        out.append("<line x1=\"0\" y1=\"").append(fmt(plot)).append("\" x2=\"").append(WIDTH).append("\" y2=\"")
                .append(fmt(plot)).append("\" stroke=\"#888\"/>");
        for (int i = 0; i < hours.size(); i++) {
            CampaignReport.Hour h = hours.get(i);
            double x = i * slot + 1;
            double human = plot * h.humanClicks() / max;
            double machine = plot * h.machineClicks() / max;
            String title = "<title>+" + i + " h: " + h.humanClicks() + " by people, " + h.machineClicks()
                    + " by machines, " + h.delivered() + " delivered</title>";
            out.append("<g>").append(title);
            out.append("<rect class=\"human\" x=\"").append(fmt(x)).append("\" y=\"").append(fmt(plot - human))
                    .append("\" width=\"").append(fmt(bar)).append("\" height=\"").append(fmt(human))
                    .append("\" fill=\"#2a7ab0\"/>");
            out.append("<rect class=\"machine\" x=\"").append(fmt(x)).append("\" y=\"")
                    .append(fmt(plot - human - machine)).append("\" width=\"").append(fmt(bar)).append("\" height=\"")
                    .append(fmt(machine)).append("\" fill=\"#c9c9c9\"/>");
            out.append("</g>");
            if (i % 6 == 0) {
                out.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(HEIGHT - 4)
                        .append("\" font-size=\"12\" fill=\"#555\">+").append(i).append("h</text>");
            }
        }
        return out.append("</svg>").toString();
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
