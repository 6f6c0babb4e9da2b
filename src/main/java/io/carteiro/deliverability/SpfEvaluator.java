package io.carteiro.deliverability;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 7208's check_host() for one sending address: fetches the record, walks its directives through includes and
 * redirects, and counts what receivers count — at most 10 terms that cause DNS lookups (§4.6.4), at most 2 of them
 * void (§4.6.4), at most 10 MX or PTR names per term — so the desk can say a record is a permerror before a receiver
 * does. One instance per evaluation (it holds the counters).
 */
final class SpfEvaluator {

    static final int MAX_LOOKUPS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    static final int MAX_NAMES = 10;

    /** The results of §2.6. */
    enum Result {
        PASS, FAIL, SOFTFAIL, NEUTRAL, NONE, PERMERROR, TEMPERROR;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What the evaluation came to.
     *
     * @param matched     the directive that decided (e.g. {@code ip4:192.0.2.1} or {@code include:_spf.x}), or null
     * @param reason      why, for permerror / temperror / none
     * @param lookups     terms that caused DNS lookups, including those of included records
     * @param voidLookups of those, the ones that found nothing
     */
    record Outcome(Result result, String matched, String reason, int lookups, int voidLookups) {
    }

    private static final Pattern MACRO = Pattern.compile(
            "%(?:\\{([slodiphcrtvSLODIPHCRTV])([0-9]*)([rR]?)([.\\-+,/_=]*)\\}|%|_|-)");

    private final DnsLookups dns;
    private final InetAddress ip;
    private final String sender;
    private final String helo;
    private int lookups;
    private int voidLookups;
    private int depth;

    private SpfEvaluator(DnsLookups dns, InetAddress ip, String sender, String helo) {
        this.dns = dns;
        this.ip = ip;
        this.sender = sender;
        this.helo = helo;
    }

    /**
     * Evaluates the SPF record of {@code domain} for mail from {@code sender} (a MAIL FROM address; the postmaster of
     * the domain when the return path is empty) sent from {@code ip} by a client that said {@code helo}.
     */
    static Outcome check(DnsLookups dns, InetAddress ip, String domain, String sender, String helo) {
        SpfEvaluator evaluator = new SpfEvaluator(dns, ip, sender, helo);
        Step step = evaluator.checkHost(domain.toLowerCase(Locale.ROOT));
        return new Outcome(step.result, step.matched, step.reason, evaluator.lookups, evaluator.voidLookups);
    }

    private record Step(Result result, String matched, String reason) {
        static Step of(Result result, String reason) {
            return new Step(result, null, reason);
        }
    }

    /** Thrown nowhere: a permerror or temperror in the middle of a walk ends it with this value. */
    private static final class Stop extends Exception {
        final Step step;

        Stop(Result result, String reason) {
            super(reason, null, false, false);
            this.step = Step.of(result, reason);
        }
    }

    private Step checkHost(String domain) {
        if (++depth > 20) {
            return Step.of(Result.PERMERROR, "includes and redirects nest too deep (a loop?)");
        }
        try {
            SpfRecord record = fetch(domain);
            if (record == null) {
                return Step.of(Result.NONE, "no SPF record at " + domain);
            }
            for (SpfRecord.Directive d : record.directives) {
                if (matches(d, domain)) {
                    return new Step(result(d.qualifier()), d.text(), null);
                }
            }
            if (record.redirect != null) {
                String target = expand(record.redirect, domain);
                count(target, "redirect=" + target);
                Step redirected = checkHost(target);
                if (redirected.result == Result.NONE) {
                    return Step.of(Result.PERMERROR, "redirect=" + target + " points at a domain with no SPF record");
                }
                return redirected;
            }
            return new Step(Result.NEUTRAL, null, "no directive matched and the record has no 'all'");
        } catch (Stop stop) {
            return stop.step;
        } finally {
            depth--;
        }
    }

    /** The one SPF record of a domain, null when there is none; a permerror or temperror as a Stop. */
    private SpfRecord fetch(String domain) throws Stop {
        DnsLookups.Answer<String> answer = dns.txt(domain);
        if (answer instanceof DnsLookups.Answer.Failed<String> failed) {
            throw new Stop(Result.TEMPERROR, failed.reason());
        }
        if (!(answer instanceof DnsLookups.Answer.Found<String> found)) {
            return null;
        }
        List<String> records = found.records().stream().filter(SpfRecord::isSpf).toList();
        if (records.isEmpty()) {
            return null;
        }
        if (records.size() > 1) {
            throw new Stop(Result.PERMERROR, domain + " publishes " + records.size() + " SPF records (one is allowed)");
        }
        SpfRecord.Parsed parsed = SpfRecord.parse(records.get(0));
        if (parsed instanceof SpfRecord.Parsed.Invalid invalid) {
            throw new Stop(Result.PERMERROR, "the SPF record of " + domain + " is invalid: " + invalid.reason());
        }
        return ((SpfRecord.Parsed.Valid) parsed).record();
    }

    private boolean matches(SpfRecord.Directive d, String domain) throws Stop {
        boolean v6 = ip instanceof Inet6Address;
        switch (d.kind()) {
            case ALL -> {
                return true;
            }
            case IP4, IP6 -> {
                return Cidr.contains(d.network(), d.kind() == SpfRecord.Kind.IP4 ? d.cidr4() : d.cidr6(), ip);
            }
            case INCLUDE -> {
                String target = expand(d.domainSpec(), domain);
                count(target, d.text());
                Step included = checkHost(target);
                switch (included.result) {
                    case PASS:
                        return true;
                    case TEMPERROR:
                        throw new Stop(Result.TEMPERROR, included.reason);
                    case PERMERROR:
                        throw new Stop(Result.PERMERROR, included.reason);
                    case NONE:
                        throw new Stop(Result.PERMERROR, d.text() + " names a domain with no SPF record");
                    default:
                        return false;
                }
            }
            case A -> {
                String target = d.domainSpec() == null ? domain : expand(d.domainSpec(), domain);
                count(target, d.text());
                return anyWithin(addresses(target, v6), d);
            }
            case MX -> {
                String target = d.domainSpec() == null ? domain : expand(d.domainSpec(), domain);
                count(target, d.text());
                DnsLookups.Answer<DnsLookups.Mx> mx = dns.mx(target);
                if (mx instanceof DnsLookups.Answer.Failed<DnsLookups.Mx> failed) {
                    throw new Stop(Result.TEMPERROR, failed.reason());
                }
                if (!(mx instanceof DnsLookups.Answer.Found<DnsLookups.Mx> found)) {
                    voidLookup(d.text());
                    return false;
                }
                if (found.records().size() > MAX_NAMES) {
                    throw new Stop(Result.PERMERROR, d.text() + " has " + found.records().size()
                            + " MX names (at most " + MAX_NAMES + " are looked at)");
                }
                for (DnsLookups.Mx exchanger : found.records()) {
                    DnsLookups.Answer<InetAddress> a = dns.addresses(exchanger.host(), v6);
                    if (a instanceof DnsLookups.Answer.Found<InetAddress> f && anyWithin(f.records(), d)) {
                        return true;
                    }
                }
                return false;
            }
            case PTR -> {
                String target = d.domainSpec() == null ? domain : expand(d.domainSpec(), domain);
                count(target, d.text());
                DnsLookups.Answer<String> names = dns.ptr(ip);
                if (!(names instanceof DnsLookups.Answer.Found<String> found)) {
                    return false;
                }
                List<String> checked = found.records().subList(0, Math.min(MAX_NAMES, found.records().size()));
                for (String name : checked) {
                    if (name.equals(target) || name.endsWith("." + target)) {
                        DnsLookups.Answer<InetAddress> forward = dns.addresses(name, v6);
                        if (forward instanceof DnsLookups.Answer.Found<InetAddress> f && f.records().contains(ip)) {
                            return true;
                        }
                    }
                }
                return false;
            }
            case EXISTS -> {
                String target = expand(d.domainSpec(), domain);
                count(target, d.text());
                DnsLookups.Answer<InetAddress> a = dns.addresses(target, false);
                if (a instanceof DnsLookups.Answer.Failed<InetAddress> failed) {
                    throw new Stop(Result.TEMPERROR, failed.reason());
                }
                if (a instanceof DnsLookups.Answer.Found<InetAddress>) {
                    return true;
                }
                voidLookup(d.text());
                return false;
            }
            default -> throw new IllegalStateException(d.kind().name());
        }
    }

    private List<InetAddress> addresses(String host, boolean v6) throws Stop {
        DnsLookups.Answer<InetAddress> a = dns.addresses(host, v6);
        if (a instanceof DnsLookups.Answer.Failed<InetAddress> failed) {
            throw new Stop(Result.TEMPERROR, failed.reason());
        }
        if (a instanceof DnsLookups.Answer.Found<InetAddress> found) {
            return found.records();
        }
        voidLookup("a:" + host);
        return List.of();
    }

    private boolean anyWithin(List<InetAddress> addresses, SpfRecord.Directive d) {
        int bits = ip instanceof Inet6Address ? d.cidr6() : d.cidr4();
        return addresses.stream().anyMatch(a -> Cidr.contains(a, bits, ip));
    }

    private void count(String target, String term) throws Stop {
        if (++lookups > MAX_LOOKUPS) {
            throw new Stop(Result.PERMERROR, "more than " + MAX_LOOKUPS + " DNS lookups (the 11th is " + term
                    + "); receivers stop there with a permerror");
        }
        if (target.length() > 253 || !target.contains(".")) {
            throw new Stop(Result.PERMERROR, "'" + Texts.shorten(target) + "' (from " + term + ") is not a domain");
        }
    }

    private void voidLookup(String term) throws Stop {
        if (++voidLookups > MAX_VOID_LOOKUPS) {
            throw new Stop(Result.PERMERROR, "more than " + MAX_VOID_LOOKUPS + " lookups found nothing (the last: "
                    + term + ")");
        }
    }

    private static Result result(SpfRecord.Qualifier q) {
        return switch (q) {
            case PASS -> Result.PASS;
            case FAIL -> Result.FAIL;
            case SOFTFAIL -> Result.SOFTFAIL;
            case NEUTRAL -> Result.NEUTRAL;
        };
    }

    /** Macro expansion of §7.3 (the p macro gives "unknown": validating it would cost lookups, as §7.3 allows). */
    String expand(String spec, String domain) {
        Matcher m = MACRO.matcher(spec);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String token = m.group();
            String value;
            if (token.equals("%%")) {
                value = "%";
            } else if (token.equals("%_")) {
                value = " ";
            } else if (token.equals("%-")) {
                value = "%20";
            } else {
                char letter = m.group(1).charAt(0);
                value = transform(macro(Character.toLowerCase(letter), domain), m.group(2), !m.group(3).isEmpty(),
                        m.group(4));
                if (Character.isUpperCase(letter)) {
                    value = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String expanded = out.toString();
        if (expanded.endsWith(".")) {
            expanded = expanded.substring(0, expanded.length() - 1);
        }
        while (expanded.length() > 253 && expanded.contains(".")) {
            expanded = expanded.substring(expanded.indexOf('.') + 1);
        }
        return expanded.toLowerCase(Locale.ROOT);
    }

    private String macro(char letter, String domain) {
        int at = sender.lastIndexOf('@');
        return switch (letter) {
            case 's' -> sender;
            case 'l' -> at > 0 ? sender.substring(0, at) : "postmaster";
            case 'o' -> at >= 0 ? sender.substring(at + 1) : sender;
            case 'd' -> domain;
            case 'i' -> Cidr.dotted(ip);
            case 'p' -> "unknown";
            case 'v' -> ip instanceof Inet6Address ? "ip6" : "in-addr";
            case 'h' -> helo;
            default -> "";
        };
    }

    private static String transform(String value, String digits, boolean reverse, String delimiters) {
        String split = delimiters.isEmpty() ? "." : delimiters;
        List<String> parts = new ArrayList<>(List.of(value.split("[" + Pattern.quote(split) + "]", -1)));
        if (reverse) {
            Collections.reverse(parts);
        }
        if (!digits.isEmpty()) {
            int keep = Integer.parseInt(digits.length() > 3 ? "999" : digits);
            if (keep > 0 && keep < parts.size()) {
                parts = parts.subList(parts.size() - keep, parts.size());
            }
        }
        return String.join(".", parts);
    }
}
