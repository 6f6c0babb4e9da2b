package io.carteiro.deliverability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A DMARC policy record (RFC 7489 §6.3): the tags a sender must get right — p, sp, pct, adkim, aspf, rua — read
 * strictly enough to say what a receiver would ignore or refuse.
 */
record DmarcRecord(String policy, String subdomainPolicy, int percent, boolean strictDkim, boolean strictSpf,
                   List<String> aggregateAddresses, String text) {

    /** What reading the TXT records of {@code _dmarc.<domain>} came to. */
    sealed interface Parsed {
        record Valid(DmarcRecord record) implements Parsed {
        }

        /** The record exists but a receiver would not apply it (§6.6.3: no valid p= means no policy). */
        record Invalid(String reason) implements Parsed {
        }
    }

    static boolean isDmarc(String txt) {
        return txt.stripLeading().matches("(?s)v\\s*=\\s*DMARC1(\\s*;.*)?");
    }

    static Parsed parse(String txt) {
        if (!isDmarc(txt)) {
            return new Parsed.Invalid("it does not start with v=DMARC1");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : txt.split(";")) {
            String field = part.strip();
            if (field.isEmpty()) {
                continue;
            }
            int eq = field.indexOf('=');
            if (eq <= 0) {
                return new Parsed.Invalid("'" + Texts.shorten(field) + "' is not a tag=value pair");
            }
            String name = field.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (tags.putIfAbsent(name, field.substring(eq + 1).strip()) != null) {
                return new Parsed.Invalid("tag " + name + " appears twice");
            }
        }
        String p = tags.getOrDefault("p", "").toLowerCase(Locale.ROOT);
        if (!p.matches("none|quarantine|reject")) {
            return new Parsed.Invalid(tags.containsKey("p") ? "p=" + Texts.shorten(tags.get("p"))
                    + " is not none, quarantine or reject" : "it has no p= tag");
        }
        String sp = tags.getOrDefault("sp", p).toLowerCase(Locale.ROOT);
        if (!sp.matches("none|quarantine|reject")) {
            return new Parsed.Invalid("sp=" + Texts.shorten(sp) + " is not none, quarantine or reject");
        }
        int pct = 100;
        if (tags.containsKey("pct")) {
            String value = tags.get("pct");
            if (!value.matches("[0-9]{1,3}") || Integer.parseInt(value) > 100) {
                return new Parsed.Invalid("pct=" + Texts.shorten(value) + " is not 0 to 100");
            }
            pct = Integer.parseInt(value);
        }
        String adkim = tags.getOrDefault("adkim", "r").toLowerCase(Locale.ROOT);
        String aspf = tags.getOrDefault("aspf", "r").toLowerCase(Locale.ROOT);
        if (!adkim.matches("[rs]") || !aspf.matches("[rs]")) {
            return new Parsed.Invalid("adkim and aspf take r or s");
        }
        List<String> rua = new ArrayList<>();
        if (tags.containsKey("rua")) {
            for (String uri : tags.get("rua").split(",")) {
                String u = uri.strip();
                int bang = u.indexOf('!');
                if (bang > 0) {
                    u = u.substring(0, bang); // a size limit (§6.2), not part of the address
                }
                if (!u.regionMatches(true, 0, "mailto:", 0, 7) || !u.substring(7).matches("[^@\\s]+@[^@\\s]+")) {
                    return new Parsed.Invalid("rua entry '" + Texts.shorten(u) + "' is not a mailto: address");
                }
                rua.add(u.substring(7).toLowerCase(Locale.ROOT));
            }
        }
        return new Parsed.Valid(new DmarcRecord(p, sp, pct, adkim.equals("s"), aspf.equals("s"), List.copyOf(rua),
                txt));
    }
}
