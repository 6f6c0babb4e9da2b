package io.carteiro.campaigns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the links of a campaign's templates that can be tracked and rewrites the templates so that each such link
 * is written per message by {@link MessageTracking.Links#href}: done once per campaign on the template source, so a
 * message costs a lookup per link rather than a scan of its body.
 *
 * <p>A link is trackable when it is an absolute {@code http(s)} URL written out in full: the {@code href} of an
 * {@code <a>} or {@code <area>} in the HTML parts, or a URL in the text parts. A link holding a template expression
 * ({@code {unsubscribeUrl}}, {@code https://shop.example/?u={subscriber.email}}) stays as written: its target
 * differs per subscriber, and a redirect may only lead to targets recorded in advance. {@code mailto:}, {@code tel:},
 * anchors and relative links stay too. The same URL written twice is one link.
 */
final class TrackableLinks {

    /** The name under which a message's {@link MessageTracking.Links} is given to the templates. */
    static final String MODEL_NAME = "carteiroLinks";
    static final int MAX_URL_LENGTH = 2048;

    private static final Pattern HREF = Pattern.compile(
            "(<(?:a|area)\\b[^>]*?\\bhref\\s*=\\s*)(?:\"([^\"]*)\"|'([^']*)')", Pattern.CASE_INSENSITIVE);
    private static final Pattern TEXT_URL = Pattern.compile("(?i)\\bhttps?://[^\\s<>\"'{}]+");
    private static final Pattern ABSOLUTE = Pattern.compile("(?i)https?://[^\\s<>\"{}\\\\^`|]+");

    /** The rewritten templates and the links they refer to ({@code urls.get(n - 1)} is link n). */
    record Rewritten(CampaignContent content, List<String> urls) {
    }

    private final Map<String, Integer> numbers = new LinkedHashMap<>();
    private final int maxLinks;

    private TrackableLinks(int maxLinks) {
        this.maxLinks = maxLinks;
    }

    /** The campaign's templates with their trackable links (at most {@code maxLinks}) rewritten. */
    static Rewritten rewrite(CampaignContent content, int maxLinks) {
        TrackableLinks links = new TrackableLinks(maxLinks);
        CampaignContent.Layout layout = content.layout();
        CampaignContent.Layout rewrittenLayout = layout == null ? null : new CampaignContent.Layout(
                links.html(layout.headerHtml()), links.html(layout.footerHtml()), links.text(layout.headerText()),
                links.text(layout.footerText()));
        String html = links.html(content.html());
        String text = links.text(content.text());
        return new Rewritten(new CampaignContent(content.subject(), html, text, rewrittenLayout),
                List.copyOf(new ArrayList<>(links.numbers.keySet())));
    }

    private String html(String source) {
        if (source == null || source.isEmpty()) {
            return source;
        }
        Matcher m = HREF.matcher(source);
        StringBuilder out = new StringBuilder(source.length() + 64);
        while (m.find()) {
            boolean doubleQuoted = m.group(2) != null;
            String written = doubleQuoted ? m.group(2) : m.group(3);
            Integer n = number(HtmlToText.decode(written).strip());
            String value = n == null ? written : expression(n);
            char quote = doubleQuoted ? '"' : '\'';
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + quote + value + quote));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String text(String source) {
        if (source == null || source.isEmpty()) {
            return source;
        }
        Matcher m = TEXT_URL.matcher(source);
        StringBuilder out = new StringBuilder(source.length() + 64);
        while (m.find()) {
            String url = m.group();
            // Sentence punctuation right after a URL in prose belongs to the sentence, not to the URL.
            int end = url.length();
            while (end > 0 && ".,;:!?)]'".indexOf(url.charAt(end - 1)) >= 0) {
                end--;
            }
            String link = url.substring(0, end);
            Integer n = number(link);
            m.appendReplacement(out, Matcher.quoteReplacement(
                    (n == null ? link : expression(n)) + url.substring(end)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Integer number(String url) {
        if (url.length() > MAX_URL_LENGTH || !ABSOLUTE.matcher(url).matches()) {
            return null;
        }
        Integer n = numbers.get(url);
        if (n == null && numbers.size() < maxLinks) {
            n = numbers.size() + 1;
            numbers.put(url, n);
        }
        return n;
    }

    private static String expression(int n) {
        return "{" + MODEL_NAME + ".l" + n + "}";
    }
}
