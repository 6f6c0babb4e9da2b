package io.carteiro.campaigns;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plain-text alternative of an HTML body, for campaigns whose text part is not written: paragraphs and headings
 * become blank-line separated blocks, list items get a marker, links read "text (url)", scripts and styles vanish.
 */
final class HtmlToText {

    private static final Set<String> BLOCKS = Set.of("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table",
            "blockquote", "ul", "ol", "section", "article", "header", "footer", "pre", "hr", "center");
    private static final Set<String> LINES = Set.of("tr", "dt", "dd");
    private static final Set<String> SKIPPED = Set.of("script", "style", "head", "title", "template");
    private static final Pattern HREF = Pattern.compile("\\bhref\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Map<String, String> NAMED = Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"",
            "apos", "'", "nbsp", " ", "copy", "©", "mdash", "—", "ndash", "–", "hellip", "…");

    private final StringBuilder out = new StringBuilder();
    private final Deque<Link> links = new ArrayDeque<>();
    private final Deque<Integer> ordered = new ArrayDeque<>();
    private String skipUntil;

    private record Link(String href, int start) {
    }

    private HtmlToText() {
    }

    /** The text rendering of {@code html}; never null. */
    static String convert(String html) {
        if (html == null || html.isEmpty()) {
            return "";
        }
        HtmlToText converter = new HtmlToText();
        converter.run(html);
        return converter.finish();
    }

    private void run(String html) {
        int i = 0;
        while (i < html.length()) {
            int lt = html.indexOf('<', i);
            if (lt < 0) {
                text(html.substring(i));
                break;
            }
            if (lt > i) {
                text(html.substring(i, lt));
            }
            if (html.startsWith("<!--", lt)) {
                int end = html.indexOf("-->", lt + 4);
                i = end < 0 ? html.length() : end + 3;
                continue;
            }
            int gt = html.indexOf('>', lt);
            if (gt < 0) {
                text(html.substring(lt));
                break;
            }
            tag(html.substring(lt + 1, gt));
            i = gt + 1;
        }
    }

    private void tag(String body) {
        boolean closing = body.startsWith("/");
        String rest = closing ? body.substring(1) : body;
        int nameEnd = 0;
        while (nameEnd < rest.length() && (Character.isLetterOrDigit(rest.charAt(nameEnd)))) {
            nameEnd++;
        }
        String name = rest.substring(0, nameEnd).toLowerCase(Locale.ROOT);
        if (skipUntil != null) {
            if (closing && name.equals(skipUntil)) {
                skipUntil = null;
            }
            return;
        }
        if (name.isEmpty()) {
            return;
        }
        if (!closing && SKIPPED.contains(name) && !rest.endsWith("/")) {
            skipUntil = name;
            return;
        }
        switch (name) {
            case "br" -> newline();
            case "li" -> {
                if (!closing) {
                    newline();
                    Integer n = ordered.peek();
                    if (n != null && n > 0) {
                        out.append(n).append(". ");
                        ordered.pop();
                        ordered.push(n + 1);
                    } else {
                        out.append("- ");
                    }
                }
            }
            case "a" -> {
                if (!closing) {
                    Matcher m = HREF.matcher(rest);
                    String href = m.find() ? decode(first(m.group(1), m.group(2), m.group(3))).strip() : "";
                    links.push(new Link(href, out.length()));
                } else if (!links.isEmpty()) {
                    closeLink(links.pop());
                }
            }
            case "img" -> {
                Matcher alt = Pattern.compile("\\balt\\s*=\\s*\"([^\"]*)\"", Pattern.CASE_INSENSITIVE).matcher(rest);
                if (alt.find() && !alt.group(1).isBlank()) {
                    text(alt.group(1));
                }
            }
            default -> {
                if (name.equals("ul") || name.equals("ol")) {
                    if (closing) {
                        if (!ordered.isEmpty()) {
                            ordered.pop();
                        }
                    } else {
                        ordered.push(name.equals("ol") ? 1 : 0);
                    }
                }
                if (BLOCKS.contains(name)) {
                    blankLine();
                } else if (LINES.contains(name) && !closing) {
                    newline();
                } else if ((name.equals("td") || name.equals("th")) && closing) {
                    appendSpace();
                }
            }
        }
    }

    private void closeLink(Link link) {
        String label = out.substring(link.start()).strip();
        String href = link.href();
        if (href.isEmpty() || href.startsWith("#") || href.toLowerCase(Locale.ROOT).startsWith("javascript:")) {
            return;
        }
        String shown = href.toLowerCase(Locale.ROOT).startsWith("mailto:") ? href.substring(7) : href;
        if (label.isEmpty()) {
            out.append(shown);
        } else if (!label.equals(shown) && !label.equals(href)) {
            out.append(" (").append(href).append(')');
        }
    }

    private void text(String raw) {
        if (skipUntil != null) {
            return;
        }
        String decoded = decode(raw);
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00a0') {
                appendSpace();
            } else {
                out.append(c);
            }
        }
    }

    private void appendSpace() {
        if (out.isEmpty()) {
            return;
        }
        char last = out.charAt(out.length() - 1);
        if (last != ' ' && last != '\n') {
            out.append(' ');
        }
    }

    private void newline() {
        trimTrailingSpace();
        if (!out.isEmpty()) {
            out.append('\n');
        }
    }

    private void blankLine() {
        trimTrailingSpace();
        if (out.isEmpty()) {
            return;
        }
        if (out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
        if (out.length() < 2 || out.charAt(out.length() - 2) != '\n') {
            out.append('\n');
        }
    }

    private void trimTrailingSpace() {
        while (!out.isEmpty() && out.charAt(out.length() - 1) == ' ') {
            out.setLength(out.length() - 1);
        }
    }

    private String finish() {
        String text = out.toString().replaceAll("(?m)[ \\t]+$", "").replaceAll("\n{3,}", "\n\n").strip();
        return text.isEmpty() ? text : text + "\n";
    }

    static String decode(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String replacement;
            if (e.startsWith("#x") || e.startsWith("#X")) {
                replacement = codePoint(Integer.parseInt(e.substring(2), 16));
            } else if (e.startsWith("#")) {
                replacement = codePoint(Integer.parseInt(e.substring(1)));
            } else {
                replacement = NAMED.getOrDefault(e.toLowerCase(Locale.ROOT), m.group());
            }
            m.appendReplacement(b, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static String codePoint(int cp) {
        return Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : "\uFFFD";
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return "";
    }
}
