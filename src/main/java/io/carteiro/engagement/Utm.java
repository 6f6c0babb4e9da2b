package io.carteiro.engagement;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The UTM parameters a campaign adds to its links' targets, so the destination site's analytics can attribute the
 * visit. A parameter the link already carries is left as the editor wrote it.
 */
record Utm(String source, String medium, String campaign) {

    static final Utm NONE = new Utm(null, null, null);

    /** The parameters as the campaign's owner set them, and whether they are added (off by default). */
    record Setting(boolean enabled, Utm utm) {
        static final Setting OFF = new Setting(false, NONE);
    }
    static final int MAX = 100;
    private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{N} ._~+-]{1,100}");

    boolean none() {
        return source == null && medium == null && campaign == null;
    }

    /** Why a value cannot be used (empty: fine). Letters, digits, spaces and {@code . _ ~ + -}, 1-100 of them. */
    static java.util.Optional<String> problem(String field, String value) {
        if (value == null || value.isBlank()) {
            return java.util.Optional.empty();
        }
        return ALLOWED.matcher(value.strip()).matches() ? java.util.Optional.empty()
                : java.util.Optional.of(field + " may hold 1-100 letters, digits, spaces and . _ ~ + - only");
    }

    /** {@code url} with the parameters it lacks appended (before any fragment). */
    String applyTo(String url) {
        if (none()) {
            return url;
        }
        Map<String, String> params = new LinkedHashMap<>();
        put(params, "utm_source", source);
        put(params, "utm_medium", medium);
        put(params, "utm_campaign", campaign);
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? "" : url.substring(hash);
        int q = base.indexOf('?');
        String query = q < 0 ? "" : base.substring(q + 1);
        StringBuilder out = new StringBuilder(base);
        boolean first = q < 0;
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (hasParameter(query, p.getKey())) {
                continue;
            }
            out.append(first ? '?' : (out.charAt(out.length() - 1) == '?' || out.charAt(out.length() - 1) == '&'
                    ? "" : "&"));
            first = false;
            out.append(p.getKey()).append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        }
        return out.append(fragment).toString();
    }

    private static void put(Map<String, String> params, String name, String value) {
        if (value != null && !value.isBlank()) {
            params.put(name, value.strip());
        }
    }

    private static boolean hasParameter(String query, String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if ((eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
                return true;
            }
        }
        return false;
    }
}
