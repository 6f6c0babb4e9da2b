package io.carteiro.deliverability;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SPF record (RFC 7208 §4.5, §12) read into its directives and modifiers: strict, so that a record a receiver
 * would call a permerror is refused here with the term that is wrong.
 */
final class SpfRecord {

    /** The result a directive gives when its mechanism matches (§4.6.2). */
    enum Qualifier {
        PASS('+'), FAIL('-'), SOFTFAIL('~'), NEUTRAL('?');

        final char symbol;

        Qualifier(char symbol) {
            this.symbol = symbol;
        }
    }

    /** The mechanisms of §5. */
    enum Kind {
        ALL, INCLUDE, A, MX, PTR, IP4, IP6, EXISTS;

        /** Whether evaluating it costs one of the ten DNS lookups (§4.6.4). */
        boolean looksUp() {
            return this == INCLUDE || this == A || this == MX || this == PTR || this == EXISTS;
        }
    }

    /**
     * One directive.
     *
     * @param domainSpec the target (may hold macros), or null for the current domain
     * @param network    the ip4 / ip6 network, else null
     * @param cidr4      prefix length applied to IPv4 addresses (32 when none was given)
     * @param cidr6      prefix length applied to IPv6 addresses (128 when none was given)
     */
    record Directive(Qualifier qualifier, Kind kind, String domainSpec, InetAddress network, int cidr4, int cidr6,
                     String text) {
    }

    /** What reading a TXT string came to. */
    sealed interface Parsed {
        record Valid(SpfRecord record) implements Parsed {
        }

        record Invalid(String reason) implements Parsed {
        }
    }

    private static final Pattern VERSION = Pattern.compile("(?i)^v=spf1(?: |$)");
    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9_.-]*)=(.*)");
    private static final Pattern MACRO = Pattern.compile("%(?:\\{[slodiphcrtvSLODIPHCRTV][0-9]*[rR]?[.\\-+,/_=]*\\}|%|_|-)");
    private static final Pattern DUAL_CIDR = Pattern.compile("^(.*?)(?:/([0-9]{1,2}))?(?://([0-9]{1,3}))?$");

    final List<Directive> directives;
    final String redirect;
    final String explanation;
    final String text;

    private SpfRecord(List<Directive> directives, String redirect, String explanation, String text) {
        this.directives = List.copyOf(directives);
        this.redirect = redirect;
        this.explanation = explanation;
        this.text = text;
    }

    /** Whether a TXT string is an SPF record at all (§4.5: "v=spf1" then a space or the end). */
    static boolean isSpf(String txt) {
        return VERSION.matcher(txt).find();
    }

    static Parsed parse(String txt) {
        if (!isSpf(txt)) {
            return new Parsed.Invalid("not an SPF record (it does not start with v=spf1)");
        }
        List<Directive> directives = new ArrayList<>();
        String redirect = null;
        String exp = null;
        for (String term : txt.substring(6).split(" +")) {
            if (term.isEmpty()) {
                continue;
            }
            Matcher modifier = MODIFIER.matcher(term);
            if (modifier.matches()) {
                String name = modifier.group(1).toLowerCase(Locale.ROOT);
                String value = modifier.group(2);
                if (name.equals("redirect") || name.equals("exp")) {
                    String problem = domainSpecProblem(value);
                    if (problem != null) {
                        return new Parsed.Invalid(name + "=" + Texts.shorten(value) + ": " + problem);
                    }
                    if (name.equals("redirect")) {
                        if (redirect != null) {
                            return new Parsed.Invalid("more than one redirect= modifier");
                        }
                        redirect = value;
                    } else {
                        if (exp != null) {
                            return new Parsed.Invalid("more than one exp= modifier");
                        }
                        exp = value;
                    }
                } else if (!MACRO.matcher(value).replaceAll("").matches("[\\x21-\\x7e]*")) {
                    return new Parsed.Invalid("modifier '" + Texts.shorten(term) + "' has a bad value");
                }
                continue;
            }
            Object parsed = directive(term);
            if (parsed instanceof String problem) {
                return new Parsed.Invalid(problem);
            }
            directives.add((Directive) parsed);
        }
        return new Parsed.Valid(new SpfRecord(directives, redirect, exp, txt));
    }

    /** The directive, or a String saying what is wrong with the term. */
    private static Object directive(String term) {
        Qualifier qualifier = Qualifier.PASS;
        String rest = term;
        for (Qualifier q : Qualifier.values()) {
            if (term.charAt(0) == q.symbol) {
                qualifier = q;
                rest = term.substring(1);
                break;
            }
        }
        int colon = rest.indexOf(':');
        int slash = rest.indexOf('/');
        int end = colon >= 0 ? colon : slash >= 0 ? slash : rest.length();
        if (slash >= 0 && colon >= 0) {
            end = Math.min(colon, slash);
        }
        String name = rest.substring(0, end).toLowerCase(Locale.ROOT);
        String argument = rest.substring(end);
        Kind kind;
        try {
            kind = Kind.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return "unknown mechanism '" + Texts.shorten(term) + "'";
        }
        switch (kind) {
            case ALL -> {
                if (!argument.isEmpty()) {
                    return "'all' takes no argument: '" + Texts.shorten(term) + "'";
                }
                return new Directive(qualifier, kind, null, null, 32, 128, term);
            }
            case INCLUDE, EXISTS -> {
                if (!argument.startsWith(":") || argument.length() < 2) {
                    return "'" + name + "' needs a domain: '" + Texts.shorten(term) + "'";
                }
                String spec = argument.substring(1);
                String problem = domainSpecProblem(spec);
                return problem != null ? "'" + Texts.shorten(term) + "': " + problem
                        : new Directive(qualifier, kind, spec, null, 32, 128, term);
            }
            case A, MX, PTR -> {
                Matcher cidr = DUAL_CIDR.matcher(argument);
                if (!cidr.matches()) {
                    return "'" + Texts.shorten(term) + "' is malformed";
                }
                String spec = cidr.group(1);
                if (kind == Kind.PTR && (cidr.group(2) != null || cidr.group(3) != null)) {
                    return "'ptr' takes no prefix length: '" + Texts.shorten(term) + "'";
                }
                if (!spec.isEmpty()) {
                    if (!spec.startsWith(":") || spec.length() < 2) {
                        return "'" + Texts.shorten(term) + "' is malformed";
                    }
                    spec = spec.substring(1);
                    String problem = domainSpecProblem(spec);
                    if (problem != null) {
                        return "'" + Texts.shorten(term) + "': " + problem;
                    }
                } else {
                    spec = null;
                }
                int v4 = cidr.group(2) == null ? 32 : Integer.parseInt(cidr.group(2));
                int v6 = cidr.group(3) == null ? 128 : Integer.parseInt(cidr.group(3));
                if (v4 > 32 || v6 > 128) {
                    return "prefix length out of range in '" + Texts.shorten(term) + "'";
                }
                return new Directive(qualifier, kind, spec, null, v4, v6, term);
            }
            case IP4, IP6 -> {
                if (!argument.startsWith(":")) {
                    return "'" + name + "' needs an address: '" + Texts.shorten(term) + "'";
                }
                String value = argument.substring(1);
                int bits = kind == Kind.IP4 ? 32 : 128;
                int prefix = value.indexOf('/');
                String address = prefix >= 0 ? value.substring(0, prefix) : value;
                if (prefix >= 0) {
                    String length = value.substring(prefix + 1);
                    if (!length.matches("[0-9]{1,3}") || Integer.parseInt(length) > bits) {
                        return "bad prefix length in '" + Texts.shorten(term) + "'";
                    }
                    bits = Integer.parseInt(length);
                }
                InetAddress network = literal(address, kind == Kind.IP6);
                if (network == null) {
                    return "'" + Texts.shorten(address) + "' is not an " + (kind == Kind.IP4 ? "IPv4" : "IPv6")
                            + " address";
                }
                return new Directive(qualifier, kind, null, network, kind == Kind.IP4 ? bits : 32,
                        kind == Kind.IP6 ? bits : 128, term);
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    /** An address literal of the family asked for, never a name (so nothing is looked up). */
    static InetAddress literal(String text, boolean ipv6) {
        boolean looksRight = ipv6 ? text.matches("[0-9A-Fa-f:.]{2,45}") && text.contains(":")
                : text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        if (!looksRight) {
            return null;
        }
        try {
            InetAddress address = InetAddress.getByName(text);
            return ipv6 == (address instanceof Inet6Address) || !ipv6 && address instanceof Inet4Address
                    ? address : null;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** Null when {@code spec} is a valid domain-spec (§7.1), else what is wrong. */
    static String domainSpecProblem(String spec) {
        if (spec.isEmpty()) {
            return "empty domain";
        }
        String withoutMacros = MACRO.matcher(spec).replaceAll("x");
        if (withoutMacros.contains("%")) {
            return "bad macro";
        }
        if (!withoutMacros.matches("[\\x21-\\x7e]+")) {
            return "bad characters in the domain";
        }
        if (!spec.contains("%")) {
            String d = spec.endsWith(".") ? spec.substring(0, spec.length() - 1) : spec;
            String top = d.substring(d.lastIndexOf('.') + 1);
            if (!d.contains(".") || !top.matches("[A-Za-z0-9-]*[A-Za-z][A-Za-z0-9-]*")
                    || top.startsWith("-") || top.endsWith("-")) {
                return "'" + Texts.shorten(spec) + "' is not a domain name";
            }
        }
        return null;
    }
}
